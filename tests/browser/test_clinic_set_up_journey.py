"""A site administrator (not a superuser, in Asia/Kolkata while the server runs in
UTC) sets the clinic up in the Wagtail admin, starting from "My work": publishes a
consent version and sees when, in their own zone; adds a clinician's weekly hours
and is told, in a sentence, that overlapping hours are refused (#18)."""

import re
from datetime import time

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from accounts.services import format_time
from tests.browser.helpers import sign_in
from tests.browser.screens import check_page
from tests.conftest import make_person
from visits.models import ConsentDocument, WeeklyHours
from visits.services.catalogue import ensure_standard_catalogue

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ZONE = "Asia/Kolkata"  # UTC+05:30: a half-hour offset shows a wrong conversion


def test_site_administrator_sets_the_clinic_up_from_my_work(
    page, live_server, settings
):
    settings.TIME_ZONE = "UTC"
    ensure_standard_catalogue()
    make_person("clinicadmin", [Role.SITE_ADMINISTRATOR], totp=True, time_zone=ZONE)
    clinician = make_person("drhours", [Role.CLINICIAN], full_name="Dr Hana Hours")
    sign_in(page, live_server, "clinicadmin", totp=True)

    # From the landing page ("My work") by clicking, not by typing an address.
    page.get_by_role("link", name=re.compile("Clinic set-up")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Visit types")
    expect(page.locator("main")).to_contain_text("Offered")
    check_page(page, "clinic-visit-types")

    page.get_by_role("button", name="Clinic set-up").click()
    page.get_by_role("link", name="Consent versions").click()
    expect(page.locator("main")).to_contain_text("Telehealth consent v1")
    check_page(page, "clinic-consent-versions")
    page.get_by_role("link", name="Publish a new version").first.click()
    page.get_by_label("Text").fill("We now also record the visit's audio.")
    page.get_by_role("button", name="Publish this version").click()
    expect(page.locator("main")).to_contain_text("Telehealth consent v2")
    newest = ConsentDocument.objects.order_by("-version").first()
    assert (newest.version, newest.text) == (2, "We now also record the visit's audio.")
    # When it was published, in the administrator's zone and named.
    expect(page.locator("main")).to_contain_text(format_time(newest.published_at, ZONE))
    expect(page.locator("main")).to_contain_text(f"({ZONE})")

    page.get_by_role("button", name="Clinic set-up").click()
    page.get_by_role("link", name="Weekly hours").click()
    for start, end in (("09:00", "12:00"), ("11:00", "13:00")):
        page.get_by_role("link", name=re.compile("Add weekly hours")).first.click()
        page.get_by_label("Clinician").select_option(label=str(clinician))
        page.get_by_label("Weekday").select_option(index=1)
        page.get_by_label("From").fill(start)
        page.get_by_label("Until").fill(end)
        page.get_by_role("button", name=re.compile("Create|Save")).click()
    expect(page.locator("main")).to_contain_text(
        "These hours overlap hours you already publish that day."
    )
    check_page(page, "clinic-hours-overlap")
    hours = WeeklyHours.objects.get(clinician=clinician)
    assert (hours.start_time, hours.end_time) == (time(9), time(12))
