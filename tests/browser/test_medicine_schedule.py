"""A medicine schedule as the patient (America/Chicago) and the clinician
(Asia/Kolkata, a half-hour offset) live it, by clicking from their landing pages;
the server runs in UTC."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.local_time import format_time, format_time_pair, in_zone
from accounts.roles import Role
from tests.browser.helpers import serious_violations, sign_in
from tests.browser.shots import shoot
from tests.conftest import make_person
from tests.visits.factories import booked_visit
from visits.models import Dose
from visits.services.record import decide_refill, request_refill

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CHICAGO = "America/Chicago"
KOLKATA = "Asia/Kolkata"


@pytest.fixture
def prescribed():
    patient = make_person(
        "patient", [Role.PATIENT], time_zone=CHICAGO, full_name="Pat Patient"
    )
    clinician = make_person(
        "clinician",
        [Role.CLINICIAN],
        totp=True,
        time_zone=KOLKATA,
        full_name="Dana Clinician, MD",
    )
    visit = booked_visit(patient, clinician)
    refill = request_refill(
        patient=patient,
        clinician=clinician,
        medication="Amlodipine 5 mg",
        dosage="one tablet a day",
    )
    decide_refill(refill=refill, approve=True, reason="")
    return visit


def test_patient_sets_a_schedule_marks_a_dose_and_the_clinician_sees_it(
    page, browser, live_server, prescribed
):
    # One dose half an hour ago (answerable now) and one later on.
    first = in_zone(timezone.now() - timedelta(minutes=30), CHICAGO)
    later = in_zone(timezone.now() + timedelta(hours=3), CHICAGO)

    sign_in(page, live_server, "patient")
    page.get_by_role("link", name="My visits").first.click()
    page.get_by_role("link", name="My medicines").click()
    expect(page.get_by_role("heading", name="My medicines")).to_be_visible()
    shoot(page, "patient-medicines-empty")
    page.get_by_role("link", name="Set a schedule for Amlodipine 5 mg").click()
    expect(page.get_by_text("Times are in America/Chicago")).to_be_visible()
    assert serious_violations(page) == []
    shoot(page, "patient-medicine-schedule-form")
    page.get_by_label("First time of day").fill(f"{first:%H:%M}")
    page.get_by_label("Second time of day (optional)").fill(f"{later:%H:%M}")
    page.get_by_label("First day").fill(f"{first:%Y-%m-%d}")
    page.get_by_role("button", name="Save the schedule").click()

    expect(page.get_by_text("The medicine schedule was saved.")).to_be_visible()
    doses = list(Dose.objects.order_by("due_at"))
    assert len(doses) >= 2
    assert doses[0].due_at == first.replace(second=0, microsecond=0)
    listed = page.locator(".dose-when")
    for shown, dose in zip(listed.all_inner_texts(), doses, strict=False):
        assert shown == format_time(dose.due_at, CHICAGO)
    expect(listed.first).to_contain_text("(America/Chicago)")
    expect(page.get_by_text("Reminders at")).to_contain_text(
        sorted([f"{first:%H:%M}", f"{later:%H:%M}"])[0]
    )
    assert serious_violations(page) == []
    shoot(page, "patient-medicines")

    page.get_by_role("button", name=f"Taken: the {first:%H:%M} dose").click()
    expect(page.get_by_text("Marked as taken.")).to_be_visible()
    expect(page.locator(".dose").first.locator(".dose-status")).to_have_text("Taken")
    doses[0].refresh_from_db()
    assert doses[0].status == Dose.Status.TAKEN

    doctor_context = browser.new_context()
    doctor = doctor_context.new_page()
    sign_in(doctor, live_server, "clinician", totp=True)
    doctor.get_by_role("link", name="My visits").first.click()
    doctor.get_by_role("link", name="Wellness").first.click()
    medicines = doctor.locator("#medicines")
    expect(medicines.locator(".adherence-summary")).to_have_text(
        "Taken 1 of 1 doses (100%), skipped 0, not answered 0."
    )
    # The clinician's own time first (Kolkata, +5:30), then the patient's.
    when = format_time_pair(doses[0].due_at, KOLKATA, CHICAGO)
    assert "(Asia/Kolkata)" in when and "(America/Chicago)" in when
    expect(medicines.locator(".adherence-doses li").first).to_have_text(
        f"{when}: Taken"
    )
    assert serious_violations(doctor) == []
    doctor.locator("#medicines").scroll_into_view_if_needed()
    shoot(doctor, "clinician-workspace-adherence")
    doctor_context.close()
