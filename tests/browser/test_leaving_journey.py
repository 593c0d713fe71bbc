"""The site administrator (in Lisbon) deactivates a clinician who has left, by
clicking from her landing page: Admin, Users, the person's menu, the confirmation,
then reads the report of what was closed and the work to reassign (#14)."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from accounts.roles import Role
from meetings import services as meetings
from meetings.models import Meeting
from tests.browser.helpers import sign_in
from tests.browser.screens import check_page
from tests.conftest import make_person
from tests.visits.factories import booked_visit
from visits.services.record import save_note
from visits.services.visit_flow import start_note

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _leaver_with_open_doors() -> User:
    leaver = make_person(
        "dana", [Role.CLINICIAN], totp=True, full_name="Dana Leaver, MD"
    )
    patient = make_person("pat", [Role.PATIENT], full_name="Pat Patient")
    meetings.feed_for(leaver)
    meetings.schedule_meeting(
        organizer=leaver,
        kind=Meeting.Kind.ADMINISTRATIVE,
        title="Journal club",
        start=timezone.now() + timedelta(days=2),
        duration_minutes=60,
        time_zone="America/Chicago",
        guest_emails=["guest@example.com"],
        send_invitations=False,
    )
    visit = booked_visit(patient, leaver)
    save_note(note=start_note(visit=visit), assessment="Draft.")
    Client().force_login(leaver)  # a session left open somewhere
    return leaver


def test_the_administrator_deactivates_a_leaver_and_reads_the_report(page, live_server):
    make_person(
        "admin",
        [Role.SITE_ADMINISTRATOR],
        totp=True,
        is_staff=True,
        is_superuser=True,
        full_name="Ada Admin",
        time_zone="Europe/Lisbon",
    )
    leaver = _leaver_with_open_doors()
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server, "admin", totp=True)

    page.get_by_role("link", name="Admin").first.click()
    page.get_by_role("button", name="Settings").click()
    page.get_by_role("link", name="Users").click()
    page.get_by_role("button", name="More options for 'Dana Leaver, MD'").click()
    page.get_by_role("link", name="Deactivate (leaving)").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Deactivate Dana Leaver, MD"
    )
    expect(page.locator("main")).to_contain_text("Certificates they earned stay valid")
    check_page(page, "leaving-confirm")
    page.get_by_role("button", name="Deactivate Dana Leaver, MD").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Dana Leaver, MD has left"
    )
    main = page.locator("main")
    expect(main).to_contain_text("Deactivated by Ada Admin")
    expect(main).to_contain_text("(Europe/Lisbon)")
    expect(main).to_contain_text("1 signed-in session ended; signing in is refused.")
    expect(main).to_contain_text("1 calendar feed address revoked.")
    expect(main).to_contain_text("1 guest link they created revoked.")
    expect(main).to_contain_text("Unsigned note of the visit:")
    expect(main).to_contain_text("Booked visit that needs another clinician:")
    expect(main).not_to_contain_text("Pat Patient")
    check_page(page, "leaving-report")
    assert not User.objects.get(pk=leaver.pk).is_active
