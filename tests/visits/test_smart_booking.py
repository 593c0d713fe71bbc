"""Booking from an app: Slot search, then POST Appointment on the same race-proof
booking service as the booking page, with the same refusals."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.roles import Role
from tests.concurrency import run_at_once
from tests.conftest import make_person
from tests.visits.factories import first_free_start, open_clinic, visit_type
from tests.visits.fhir_checks import check_bundle_schema_only
from tests.visits.smart_helpers import register_app, token_for
from visits.models import AuditEvent, Visit
from visits.smart.incoming import slot_id

BOOK = "launch/patient patient/Slot.rs patient/Appointment.rs patient/Appointment.c"


def _appointment(slot: str, patient) -> dict:
    return {
        "resourceType": "Appointment",
        "status": "proposed",
        "slot": [{"reference": f"Slot/{slot}"}],
        "participant": [
            {"actor": {"reference": f"Patient/{patient.uuid}"}, "status": "accepted"}
        ],
    }


def _post(token: str, body: dict):
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}").post(
        "/fhir/r4/Appointment", body, content_type="application/fhir+json"
    )


@pytest.mark.django_db
def test_an_app_finds_a_slot_and_books_it_and_the_same_slot_is_then_refused(
    patient, other_patient, clinician
):
    open_clinic(clinician)
    kind = visit_type("wellness")
    token = token_for(patient, register_app(), BOOK)
    tomorrow = (timezone.now() + timedelta(days=1)).date()
    search = Client(HTTP_AUTHORIZATION=f"Bearer {token}").get(
        "/fhir/r4/Slot",
        {
            "service-type": "wellness",
            "start": [f"ge{tomorrow}", f"lt{tomorrow + timedelta(days=1)}"],
            "_count": 5,
        },
    )
    assert search.status_code == 200
    bundle = search.json()
    check_bundle_schema_only(bundle)
    assert len(bundle["entry"]) == 5
    assert {link["relation"] for link in bundle["link"]} == {"self", "next"}
    slot = bundle["entry"][0]["resource"]
    assert slot["serviceType"][0]["coding"][0]["code"] == "wellness"

    booked = _post(token, _appointment(slot["id"], patient))
    assert booked.status_code == 201, booked.content
    appointment = booked.json()
    check_bundle_schema_only(appointment)
    assert appointment["status"] == "booked"
    assert appointment["start"] == slot["start"]
    visit = Visit.objects.get(uuid=appointment["id"])
    assert (visit.patient, visit.clinician, visit.visit_type) == (
        patient,
        clinician,
        kind,
    )
    assert AuditEvent.objects.filter(
        what="fhir_appointment", action="write", via_app="BP Diary"
    ).exists()

    theirs = token_for(other_patient, register_app("Other"), BOOK)
    taken = _post(theirs, _appointment(slot["id"], other_patient))
    assert taken.status_code == 409
    assert "Sorry, that time was just taken" in taken.json()["issue"][0]["diagnostics"]
    assert _post(theirs, _appointment("nonsense", other_patient)).status_code == 409
    for_someone_else = _post(theirs, _appointment(slot["id"], patient))
    assert for_someone_else.status_code == 403
    no_scope = token_for(patient, register_app("Reader"), "patient/Appointment.rs")
    assert _post(no_scope, _appointment(slot["id"], patient)).status_code == 403


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_fifty_apps_booking_one_slot_at_once_book_it_once(clinician):
    open_clinic(clinician)
    kind = visit_type("wellness")
    start = first_free_start(clinician, kind)
    slot = slot_id(str(clinician.uuid), kind, start)
    app = register_app()
    patients = [make_person(f"racer{n}", [Role.PATIENT]) for n in range(50)]
    tokens = [token_for(p, app, BOOK) for p in patients]
    statuses = run_at_once(
        [
            lambda token=token, person=person: (
                _post(token, _appointment(slot, person)).status_code
            )
            for token, person in zip(tokens, patients, strict=True)
        ]
    )
    assert statuses.count(201) == 1
    assert statuses.count(409) == 49
    assert Visit.objects.filter(clinician=clinician, start=start).count() == 1
