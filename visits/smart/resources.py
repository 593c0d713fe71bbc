"""The patient's record as FHIR resources for the REST API, built with the same
mapping as the export (visits.fhir) but with relative references."""

from datetime import datetime

from django.db.models import QuerySet

from accounts.models import User
from visits import fhir
from visits.models import (
    ClinicalNote,
    ConsentAcceptance,
    Document,
    Reading,
    Referral,
    RefillRequest,
    Visit,
)

LOINC_TO_KIND = {
    "85354-9": Reading.Kind.BLOOD_PRESSURE,
    "8867-4": Reading.Kind.HEART_RATE,
}


def rest_ref(kind: str, key) -> dict:
    return {"reference": f"{kind}/{key}", "type": kind}


def observation(reading: Reading) -> dict:
    return fhir.observation_resource(reading, link=rest_ref)


def appointment(visit: Visit) -> dict:
    return fhir.appointment_resource(visit, link=rest_ref)


def readings_of(patient: User) -> QuerySet[Reading]:
    return Reading.objects.filter(patient=patient).select_related("patient")


def _visits(patient: User) -> list[Visit]:
    return list(
        Visit.objects.filter(patient=patient)
        .select_related("patient", "clinician", "visit_type")
        .order_by("start")
    )


def _notes(patient: User) -> list[ClinicalNote]:
    return list(
        ClinicalNote.objects.filter(
            visit__patient=patient, signed_at__isnull=False
        ).select_related("visit__patient", "visit__clinician", "signed_by")
    )


def _referrals(patient: User) -> list[Referral]:
    return list(
        Referral.objects.filter(patient=patient)
        .select_related("patient", "referring_clinician", "specialist")
        .prefetch_related("shared_notes", "shared_documents")
    )


def _refills(patient: User) -> list[RefillRequest]:
    return list(
        RefillRequest.objects.filter(patient=patient).select_related(
            "patient", "clinician"
        )
    )


def _practitioners(patient: User) -> list[dict]:
    people = {visit.clinician for visit in _visits(patient)}
    people |= {note.signed_by for note in _notes(patient)}
    for referral in _referrals(patient):
        people |= {referral.referring_clinician, referral.specialist}
    people |= {refill.clinician for refill in _refills(patient)}
    return [fhir.practitioner_resource(p) for p in sorted(people, key=lambda p: p.pk)]


def collection(kind: str, patient: User) -> list[dict]:
    """Every resource of this type in the patient's compartment (Observation aside,
    which is searched in the database)."""
    link = rest_ref
    if kind == "Patient":
        return [fhir.patient_resource(patient)]
    if kind == "Practitioner":
        return _practitioners(patient)
    if kind == "Appointment":
        return [appointment(visit) for visit in _visits(patient)]
    if kind == "Encounter":
        return [
            fhir.encounter_resource(visit, fhir.encounter_id(visit), link=link)
            for visit in _visits(patient)
            if visit.status in fhir.ENCOUNTER_STATUS
        ]
    if kind == "MedicationRequest":
        return [
            fhir.medication_request_resource(r, link=link) for r in _refills(patient)
        ]
    if kind == "ServiceRequest":
        return [
            fhir.service_request_resource(r, link=link) for r in _referrals(patient)
        ]
    if kind == "Consent":
        return [
            fhir.consent_resource(c, link=link)
            for c in ConsentAcceptance.objects.filter(patient=patient).select_related(
                "patient", "document"
            )
        ]
    if kind == "DocumentReference":
        return [
            *(fhir.note_document_resource(n, link=link) for n in _notes(patient)),
            *(
                fhir.file_document_resource(d, link=link)
                for d in Document.objects.filter(patient=patient).select_related(
                    "patient"
                )
            ),
        ]
    raise KeyError(kind)


def iso(value: datetime) -> str:
    return value.isoformat()
