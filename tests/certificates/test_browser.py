import pytest
from playwright.sync_api import expect

from certificates import services
from tests.browser.helpers import serious_violations, sign_in
from tests.certificates.factories import claim

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_learner_finds_and_verifies_a_certificate_by_keyboard(
    page, live_server, clinician, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    certificate = services.issue_certificate(claim=claim(clinician))
    sign_in(page, live_server, "clinician", totp=True)
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(f"{live_server.url}/certificates/")
    expect(page.get_by_role("heading", name="My certificates")).to_be_visible()
    assert serious_violations(page) == []
    link = page.get_by_role("link", name=f"Verification page for {certificate.code}")
    link.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("This certificate is valid.")).to_be_visible()
    expect(page.get_by_text("Dana Clinician, MD")).to_be_visible()
    assert serious_violations(page) == []
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360

    page.goto(f"{live_server.url}/certificates/transcript/")
    expect(page.get_by_role("heading", name="My transcript")).to_be_visible()
    assert serious_violations(page) == []


def test_anyone_verifies_a_typed_code_without_signing_in(
    page, live_server, clinician, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    certificate = services.issue_certificate(claim=claim(clinician))
    page.goto(f"{live_server.url}/certificates/verify/")
    assert serious_violations(page) == []
    page.get_by_label("Verification code").fill(certificate.code.lower())
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", name="Certificate verification")).to_be_visible()
    expect(page.get_by_text(certificate.code).first).to_be_visible()
