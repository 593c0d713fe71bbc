"""The visit day as the patient and the clinician live it, by clicking from their
landing pages. The server runs in UTC, the patient in America/Chicago, the
clinician in Europe/Berlin; every time shown must be the calendar file's start
converted to that person's zone (and the clinic's, labelled, when it differs).
"""

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
import vobject
from django.core import mail
from playwright.sync_api import expect

from accounts.roles import Role
from tests.browser.helpers import serious_violations, sign_in
from tests.browser.shots import settle
from tests.conftest import make_person
from tests.visits.factories import booked_visit, open_clinic
from visits.models import Visit, VisitType
from visits.notifications import visit_calendar
from visits.services.visit_flow import accept_consent, current_consent

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SHOTS = Path("/tmp/shots-visitsday")  # noqa: S108 - the brief's screenshot folder
CHICAGO = "America/Chicago"
BERLIN = "Europe/Berlin"


@pytest.fixture(autouse=True)
def _server_in_utc(settings, live_server):
    settings.TIME_ZONE = "UTC"
    # Links in mail point at the server actually running (as under `make run`).
    settings.BASE_URL = live_server.url


@pytest.fixture
def clinic():
    patient = make_person("patient", [Role.PATIENT], time_zone=CHICAGO)
    clinician = make_person(
        "clinician",
        [Role.CLINICIAN],
        totp=True,
        full_name="Dana Clinician, MD",
        time_zone=BERLIN,
    )
    open_clinic(clinician, zone=CHICAGO)
    return patient, clinician


def shown(moment: datetime, zone: str) -> str:
    """What accounts.local_time prints ("Fri 4 Dec 2026, 11:15 (America/Chicago)"),
    written out independently of it."""
    local = moment.astimezone(ZoneInfo(zone))
    return f"{local:%a} {local.day} {local:%b %Y, %H:%M} ({zone})"


def calendar_start(ics: bytes | str) -> datetime:
    text = ics.decode() if isinstance(ics, bytes) else ics
    return vobject.readOne(text).vevent.dtstart.value


def shoot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        settle(page)
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
        fits = page.evaluate(
            "document.documentElement.scrollWidth <= window.innerWidth"
        )
        assert fits, f"{name} overflows at {width} px"
    page.set_viewport_size({"width": 1280, "height": 900})


def test_patient_books_from_their_landing_page_checks_in_and_reaches_the_room(
    page, browser, live_server, clinic
):
    patient, clinician = clinic
    sign_in(page, live_server, "patient")
    page.get_by_role("link", name="My visits").first.click()
    shoot(page, "patient-visits-home-empty")
    page.get_by_role("link", name="Book a video visit").click()
    page.get_by_label("Kind of visit").select_option(
        str(VisitType.objects.get(code="wellness").uuid)
    )
    page.get_by_role("button", name="Show free times").click()
    first_slot = page.locator(".slot-list label").first
    label = first_slot.inner_text()
    assert "(America/Chicago)" in label and "UTC" not in label
    shoot(page, "patient-booking")
    first_slot.click()
    page.get_by_label("What would you like help with? (optional)").fill("Sore throat.")
    page.get_by_role("button", name="Book this time").click()
    expect(page.get_by_role("heading", name="Before your visit")).to_be_visible()

    visit = Visit.objects.get()
    booking_mail = next(m for m in mail.outbox if "is booked" in m.subject)
    start = calendar_start(booking_mail.attachments[0].get_payload(decode=True))
    assert start == visit.start
    assert shown(start, CHICAGO) in booking_mail.body
    assert label.startswith(shown(start, CHICAGO))

    # The link in the mail is the visit page; it shows the same minute.
    link = next(
        word for word in booking_mail.body.split() if f"/visits/{visit.uuid}/" in word
    )
    assert link.startswith(live_server.url)
    page.goto(link)
    expect(page.locator("#visit-when")).to_have_text(shown(start, CHICAGO))

    with time_machine.travel(visit.start - timedelta(minutes=5), tick=True):
        page.get_by_role("link", name="Read and accept the telehealth consent").click()
        page.get_by_label("I have read the consent above and I agree to it.").check()
        page.get_by_role("button", name="Accept the consent").click()
        page.get_by_role("link", name="Continue to the waiting room").click()
        expect(page.locator("#visit-when")).to_contain_text(shown(start, CHICAGO))
        page.get_by_role("button", name="Check in now").click()
        expect(page.locator("#waiting-status")).to_contain_text(
            "You are in the waiting room."
        )
        expect(page.locator("#waiting-status")).to_contain_text("Estimated wait")
        shoot(page, "patient-waiting-room")
        assert serious_violations(page) == []

        doctor_context = browser.new_context()
        doctor = doctor_context.new_page()
        sign_in(doctor, live_server, "clinician", totp=True)
        doctor.goto(f"{live_server.url}/visits/{visit.uuid}/")
        doctor.get_by_role("button", name="Admit the patient and join").click()
        expect(doctor).to_have_url(f"{live_server.url}/visits/{visit.uuid}/video/")
        expect(page).to_have_url(
            f"{live_server.url}/visits/{visit.uuid}/video/", timeout=15_000
        )
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Video visit with Dana Clinician, MD"
        )
        expect(page.get_by_role("region", name="Video meeting")).to_be_attached()
        doctor_context.close()

    page.get_by_role("link", name="My visits").first.click()
    expect(page.locator(".visit-list")).to_contain_text(shown(start, CHICAGO))
    shoot(page, "patient-visits-home")


def test_clinician_runs_the_visit_from_the_workspace_admitting_fifteen_minutes_early(
    page, browser, live_server, clinic
):
    patient, clinician = clinic
    visit = booked_visit(patient, clinician)
    Visit.objects.filter(pk=visit.pk).update(reason="Headaches for a week.")
    accept_consent(visit=visit, document=current_consent(), ip_address=None)
    start = calendar_start(visit_calendar(visit))
    clinic_clock = start.astimezone(ZoneInfo(CHICAGO))
    in_berlin = f"{shown(start, BERLIN)} · {clinic_clock:%H:%M} ({CHICAGO})"

    with time_machine.travel(start - timedelta(minutes=15), tick=True):
        sign_in(page, live_server, "patient")
        page.get_by_role("link", name="My visits").first.click()
        page.locator(".visit-list a").first.click()
        page.get_by_role("link", name="Go to the waiting room").click()
        page.get_by_role("button", name="Check in now").click()
        expect(page.locator("#waiting-status")).to_contain_text(
            "Estimated wait: about 15 minutes."
        )

        doctor_context = browser.new_context()
        doctor = doctor_context.new_page()
        sign_in(doctor, live_server, "clinician", totp=True)
        doctor.get_by_role("link", name="My visits").first.click()
        expect(doctor.locator("tbody tr").first).to_contain_text(in_berlin)
        shoot(doctor, "clinician-visits-home")
        doctor.get_by_role("link", name="Wellness").first.click()

        expect(doctor.get_by_role("heading", level=1)).to_have_text("Patient")
        # The name is on the page, never in the tab title.
        assert doctor.title().startswith("Visit workspace")
        expect(doctor.locator("#visit-when")).to_have_text(in_berlin)
        expect(doctor.get_by_text("Headaches for a week.")).to_be_visible()
        expect(
            doctor.get_by_text("The patient is in the waiting room.")
        ).to_be_visible()
        shoot(doctor, "clinician-workspace")
        assert serious_violations(doctor) == []

        doctor.get_by_role("button", name="Admit the patient and join").click()
        expect(doctor).to_have_url(f"{live_server.url}/visits/{visit.uuid}/video/")
        expect(doctor.get_by_role("region", name="Video meeting")).to_be_attached()
        expect(page).to_have_url(
            f"{live_server.url}/visits/{visit.uuid}/video/", timeout=15_000
        )
        expect(page.get_by_role("region", name="Video meeting")).to_be_attached()

        doctor.get_by_label("Assessment").fill("Tension-type headache.")
        doctor.get_by_label("Plan", exact=True).fill("Regular sleep and fluids.")
        doctor.get_by_role("button", name="Sign and lock the note").click()
        expect(doctor.get_by_text("The note is locked.")).to_be_visible()
        doctor.get_by_role("button", name="End the visit").click()
        expect(
            doctor.get_by_text("The visit has ended. The note is already signed.")
        ).to_be_visible()
        expect(doctor.get_by_text("write and sign")).to_have_count(0)
        shoot(doctor, "clinician-workspace-after")
        doctor_context.close()


def test_every_visits_page_of_the_day_fits_a_phone(page, browser, live_server, clinic):
    patient, clinician = clinic
    visit = booked_visit(patient, clinician)
    base = f"/visits/{visit.uuid}"
    wellness = VisitType.objects.get(code="wellness")
    sign_in(page, live_server, "patient")
    page.goto(f"{live_server.url}/visits/book/")
    page.get_by_label("Kind of visit").select_option(str(wellness.uuid))
    page.get_by_role("button", name="Show free times").click()
    doctor_context = browser.new_context()
    doctor = doctor_context.new_page()
    sign_in(doctor, live_server, "clinician", totp=True)
    pages = [
        (page, path)
        for path in (
            "/visits/",
            "/visits/book/",
            f"{base}/",
            f"{base}/intake/",
            f"{base}/consent/",
            f"{base}/device-check/",
            f"{base}/waiting-room/",
            f"{base}/video/",  # refused: not admitted yet
            f"{base}/summary/",
            f"{base}/messages/",
            f"{base}/cancel/",
            f"{base}/reschedule/",
            "/visits/refills/",
        )
    ] + [
        (doctor, path)
        for path in (
            "/visits/",
            f"{base}/",
            f"{base}/note/",
            f"{base}/admit/",  # refused: a GET
            f"/visits/patients/{patient.uuid}/",
            "/visits/refills/",
        )
    ]
    for who, path in pages:
        who.set_viewport_size({"width": 390, "height": 800})
        who.goto(live_server.url + path)
        fits = who.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        assert fits, f"{path} overflows at 390 px"
    doctor_context.close()
