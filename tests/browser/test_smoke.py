import pytest
from playwright.sync_api import expect

from tests.browser.helpers import serious_violations, sign_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_home_page_renders(page, live_server):
    page.goto(live_server.url + "/")
    expect(page).to_have_title("TeleCampus")
    expect(page.get_by_role("main")).to_be_visible()
    # The skip link is the first thing a keyboard reaches.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()


def test_clinician_signs_in_with_totp(page, live_server, clinician):
    sign_in(page, live_server, "clinician", totp=True)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_patient_signs_in_without_totp(page, live_server, patient):
    sign_in(page, live_server, "patient")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/no-such-page/"])
def test_no_serious_accessibility_violations(page, live_server, path):
    page.goto(live_server.url + path)
    assert serious_violations(page) == []


def test_pages_fit_a_phone_screen(page, live_server):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server.url + "/accounts/login/")
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert overflow is False
