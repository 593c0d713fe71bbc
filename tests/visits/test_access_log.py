"""The patient's "Who viewed my record": plain words, their own zone, and never
another patient's identity (issue 13, finding 6)."""

from datetime import UTC, datetime

import pytest
import time_machine

from tests.visits.factories import booked_visit
from visits.models import AuditEvent
from visits.services.sharing import create_referral, start_care_relationship

pytestmark = pytest.mark.django_db

INTERNAL_NAMES = [
    "clinical_note",
    "patient_record",
    "fhir_export",
    "readings_chart",
    "visit_list",
    "Was refused",
]


def test_a_refused_patient_is_not_named_in_the_other_patients_log(
    client, patient, other_patient
):
    client.force_login(other_patient)
    for path in (
        f"/visits/patients/{patient.uuid}/fhir/",
        f"/visits/patients/{patient.uuid}/",
        f"/visits/patients/{patient.uuid}/readings.svg",
    ):
        assert client.get(path).status_code == 404
    assert (
        AuditEvent.objects.filter(
            actor=other_patient, patient=patient, action="denied"
        ).count()
        == 3
    )
    client.force_login(patient)
    log = client.get("/visits/access-log/").content.decode()
    assert other_patient.display_name not in log
    assert other_patient.username not in log
    assert "Someone without access to your record" in log
    assert "Tried to open a full copy of your record and was refused" in log


def test_staff_are_named_and_kinds_and_actions_are_plain_words(
    client, patient, clinician
):
    visit = booked_visit(patient, clinician)
    client.force_login(clinician)
    with time_machine.travel(datetime(2026, 12, 4, 17, 45, tzinfo=UTC)):
        assert client.get(f"/visits/{visit.uuid}/").status_code == 200
        assert client.get(f"/visits/patients/{patient.uuid}/").status_code == 200
    client.force_login(patient)
    log = client.get("/visits/access-log/").content.decode()
    assert "Dana Clinician, MD" in log
    assert "Looked at a visit" in log
    assert "Looked at the overview of your record" in log
    # 17:45 UTC is 11:45 in Chicago, the patient's zone.
    assert "When (America/Chicago)" in log
    assert "Fri 4 Dec 2026, 11:45" in log
    assert "17:45" not in log
    for name in INTERNAL_NAMES:
        assert name not in log, name


def test_the_page_lists_no_one_when_only_the_patient_looked(client, patient):
    client.force_login(patient)
    client.get("/visits/readings/")
    log = client.get("/visits/access-log/").content.decode()
    assert "Nobody else has looked at your record." in log


def test_a_specialist_listing_the_referral_shows_in_plain_words(
    client, patient, clinician, specialist
):
    start_care_relationship(clinician=clinician, patient=patient)
    create_referral(
        clinician=clinician, patient=patient, specialist=specialist, reason="Rash."
    )
    client.force_login(specialist)
    assert client.get("/visits/referrals/").status_code == 200
    client.force_login(patient)
    log = client.get("/visits/access-log/").content.decode()
    assert "Looked at a list of referrals that includes yours" in log
    assert "referral_list" not in log
