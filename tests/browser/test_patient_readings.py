"""The patient's home readings and access log, by clicking from the landing page:
"now" as the default time, advice after a crisis reading, the chart with its
table, and "Who viewed my record" in plain words and the patient's own zone."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from accounts.local_time import format_time, in_zone
from accounts.roles import Role
from tests.browser.helpers import serious_violations, sign_in
from tests.browser.shots import shoot
from tests.conftest import make_person
from tests.visits.factories import booked_visit
from visits.models import AuditEvent
from visits.services.monitoring import ReadingInput, record_reading

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CHICAGO = "America/Chicago"


@pytest.fixture
def patient_with_history():
    patient = make_person(
        "patient", [Role.PATIENT], time_zone=CHICAGO, full_name="Pat Patient"
    )
    nosy = make_person(
        "patient2", [Role.PATIENT], time_zone="UTC", full_name="Priya Patient"
    )
    clinician = make_person(
        "clinician", [Role.CLINICIAN], totp=True, full_name="Dana Clinician, MD"
    )
    visit = booked_visit(patient, clinician)
    start = timezone.now() - timedelta(days=14)
    for day in range(14):
        moment = start + timedelta(days=day)
        record_reading(
            patient=patient,
            data=ReadingInput("bp", moment, 124 + day % 4 * 5, 78 + day % 3 * 3),
        )
        record_reading(
            patient=patient,
            data=ReadingInput(
                "hr", moment + timedelta(minutes=5), heart_rate=66 + day % 5 * 4
            ),
        )
    looks = Client()
    looks.force_login(clinician)
    assert looks.get(f"/visits/{visit.uuid}/").status_code == 200
    looks.force_login(nosy)
    assert looks.get(f"/visits/patients/{patient.uuid}/fhir/").status_code == 404
    return patient


def test_patient_enters_a_crisis_reading_sees_advice_chart_and_who_looked(
    page, live_server, patient_with_history
):
    sign_in(page, live_server, "patient")
    page.get_by_role("link", name="My visits").first.click()
    page.get_by_role("link", name="Home readings").click()
    expect(
        page.get_by_role("heading", name="Home readings", exact=True)
    ).to_be_visible()

    # "Measured at" starts at now on the patient's clock.
    shown = page.get_by_label("Measured at (your local time)").input_value()
    now_in_chicago = in_zone(timezone.now(), CHICAGO)
    assert shown[:10] == f"{now_in_chicago:%Y-%m-%d}"
    assert (
        abs(
            int(shown[11:13]) * 60
            + int(shown[14:16])
            - (now_in_chicago.hour * 60 + now_in_chicago.minute)
        )
        <= 2
    )

    page.get_by_label("Systolic (mm Hg)").fill("182")
    page.get_by_label("Diastolic (mm Hg)").fill("95")
    page.get_by_role("button", name="Save the reading").click()
    advice = page.locator(".reading-advice")
    expect(advice).to_contain_text("Your blood pressure is very high")
    expect(advice).to_contain_text("182/95 mm Hg")
    expect(advice).to_contain_text(
        "Call 911 (or your local emergency number) now if you have chest pain"
    )
    chart = page.get_by_role("img", name="Chart of blood pressure and heart rate")
    expect(chart).to_be_visible()
    # matplotlib takes a moment: wait until the image has loaded, then check it drew.
    page.wait_for_function(
        "image => image.complete", arg=chart.element_handle(), timeout=15_000
    )
    assert chart.evaluate("image => image.naturalWidth") > 0
    table = page.locator(".readings-chart__table")
    expect(table).to_contain_text("182/95 mm Hg")
    expect(table).to_contain_text("No, outside the limits")
    expect(table).to_contain_text("(America/Chicago)")
    assert "mm[Hg]" not in page.content()
    assert serious_violations(page) == []
    shoot(page, "patient-readings")

    page.get_by_role("link", name="Who viewed my record").click()
    log = page.locator("table.access-log")
    expect(log).to_contain_text("Dana Clinician, MD")
    expect(log).to_contain_text("Looked at a visit")
    expect(log).to_contain_text("Someone without access to your record")
    expect(log).to_contain_text(
        "Tried to open a full copy of your record and was refused"
    )
    expect(log).not_to_contain_text("Priya")
    expect(log).not_to_contain_text("fhir_export")
    first_look = AuditEvent.objects.filter(
        patient=patient_with_history, what="visit"
    ).earliest("at")
    expect(log.locator("thead")).to_contain_text("When (America/Chicago)")
    when = format_time(first_look.at, CHICAGO, label=False)
    expect(log.locator("tr").filter(has_text="Looked at a visit")).to_contain_text(when)
    assert serious_violations(page) == []
    shoot(page, "patient-access-log")
