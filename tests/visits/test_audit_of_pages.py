"""PHI written or listed through pages that take no object in their URL is audited
too (the URL walk covers the pages that do)."""

import re

import pytest

from tests.visits.factories import booked_visit, choose_visit_type, open_clinic
from visits.models import AuditEvent, RefillRequest, Visit

pytestmark = pytest.mark.django_db


def events(**filters):
    return list(
        AuditEvent.objects.filter(**filters).values_list("action", "what", "patient")
    )


def test_booking_a_visit_records_the_write(client, patient, clinician):
    open_clinic(clinician)
    client.force_login(patient)
    choose_visit_type(client, "wellness")
    html = client.get("/visits/book/").content.decode()
    slot = re.search(r'name="slot" id="slot-1" value="([^"]+)"', html).group(1)
    assert (
        client.post("/visits/book/", {"slot": slot, "reason": "Tired"}).status_code
        == 302
    )
    visit = Visit.objects.get(patient=patient)
    written = AuditEvent.objects.get(action=AuditEvent.Action.WRITE, what="visit")
    assert (written.actor, written.patient, written.object_uuid) == (
        patient,
        patient,
        visit.uuid,
    )


def test_requesting_a_refill_records_the_write(client, patient, clinician):
    booked_visit(patient, clinician)
    client.force_login(patient)
    response = client.post(
        "/visits/refills/",
        {
            "clinician": str(clinician.uuid),
            "medication": "Metformin",
            "dosage": "500 mg",
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    refill = RefillRequest.objects.get(patient=patient)
    written = AuditEvent.objects.get(action=AuditEvent.Action.WRITE)
    assert (written.what, written.patient, written.object_uuid) == (
        "refill_request",
        patient,
        refill.uuid,
    )


def test_the_visits_home_records_whose_visits_were_listed(
    client, patient, other_patient, clinician
):
    booked_visit(patient, clinician)
    booked_visit(other_patient, clinician)
    client.force_login(clinician)
    assert client.get("/visits/").status_code == 200
    listed = AuditEvent.objects.filter(action=AuditEvent.Action.READ, what="visit_list")
    assert sorted(event.patient.username for event in listed) == [
        "other_patient",
        "patient",
    ]
    assert {event.actor for event in listed} == {clinician}
