"""A site administrator (not a superuser) sets the clinic up in the Wagtail admin:
Clinic set-up, Consent versions, "Publish a new version" (#18: one staff surface)."""

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from tests.browser.helpers import sign_in
from tests.browser.screens import check_page
from tests.conftest import make_person
from visits.models import ConsentDocument
from visits.services.catalogue import ensure_standard_catalogue

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_site_administrator_publishes_a_consent_version(page, live_server):
    ensure_standard_catalogue()
    make_person("clinicadmin", [Role.SITE_ADMINISTRATOR], totp=True)
    sign_in(page, live_server, "clinicadmin", totp=True)

    page.goto(f"{live_server.url}/admin/")
    page.get_by_role("button", name="Clinic set-up").click()
    page.get_by_role("link", name="Consent versions").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Consent")
    expect(page.locator("main")).to_contain_text("Telehealth consent v1")
    check_page(page, "clinic-consent-versions")

    page.get_by_role("link", name="Publish a new version").first.click()
    page.get_by_label("Text").fill("We now also record the visit's audio.")
    page.get_by_role("button", name="Publish this version").click()
    expect(page.locator("main")).to_contain_text("Telehealth consent v2")
    newest = ConsentDocument.objects.order_by("-version").first()
    assert (newest.version, newest.text) == (2, "We now also record the visit's audio.")

    page.get_by_role("button", name="Clinic set-up").click()
    page.get_by_role("link", name="Visit types").click()
    expect(page.locator("main")).to_contain_text("Offered")
    check_page(page, "clinic-visit-types")
