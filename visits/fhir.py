"""FHIR R4 export of one patient's record as a collection Bundle.

Resources: Patient, Practitioner, Appointment, Encounter (class VR), Observation
(blood-pressure panel and heart rate, UCUM units), Consent, DocumentReference,
ServiceRequest (referrals), MedicationRequest (refills), MedicationStatement
(medicine schedules) and MedicationAdministration (each dose the patient marked
taken or skipped). In the export every reference is a urn:uuid: that resolves to an
entry's fullUrl; the SMART API (visits.smart) builds the same resources with
relative references (`link`). Called by the export_fhir command, the authenticated
export view and the FHIR REST API; all audit.
"""

import base64
import uuid

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from visits.models import (
    ClinicalNote,
    ConsentAcceptance,
    Document,
    Dose,
    MedicationSchedule,
    Reading,
    Referral,
    RefillRequest,
    Visit,
)

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
NPI = "http://hl7.org/fhir/sid/us-npi"
US_CORE = "http://hl7.org/fhir/us/core/StructureDefinition"
EXPORT_NAMESPACE = uuid.UUID("5b0f1c3e-8d7a-4c52-9a61-2f4e3b7d9c10")

APPOINTMENT_STATUS = {
    Visit.Status.BOOKED: "booked",
    Visit.Status.WAITING: "checked-in",
    Visit.Status.IN_PROGRESS: "arrived",
    Visit.Status.COMPLETED: "fulfilled",
    Visit.Status.CANCELLED: "cancelled",
    Visit.Status.NO_SHOW: "noshow",
}
ENCOUNTER_STATUS = {
    Visit.Status.WAITING: "arrived",
    Visit.Status.IN_PROGRESS: "in-progress",
    Visit.Status.COMPLETED: "finished",
}
MEDICATION_STATUS = {
    RefillRequest.Status.PENDING: ("draft", "proposal"),
    RefillRequest.Status.APPROVED: ("active", "order"),
    RefillRequest.Status.DENIED: ("cancelled", "order"),
}


def ref(kind: str, key) -> dict:
    return {"reference": f"urn:uuid:{key}", "type": kind}


def _iso(value) -> str:
    return value.isoformat()


def _coding(system: str, code: str, display: str) -> dict:
    return {"coding": [{"system": system, "code": code, "display": display}]}


def _quantity(value: int, unit: str) -> dict:
    return {"value": value, "unit": unit, "system": UCUM, "code": unit}


def patient_resource(user) -> dict:
    resource = {
        "resourceType": "Patient",
        "id": str(user.uuid),
        "active": user.is_active,
        "name": [{"text": user.full_name or user.username}],
        "telecom": [{"system": "email", "value": user.email}],
    }
    return resource


def practitioner_resource(user) -> dict:
    resource = {
        "resourceType": "Practitioner",
        "id": str(user.uuid),
        "name": [{"text": user.full_name or user.username}],
    }
    if user.npi:
        resource["identifier"] = [{"system": NPI, "value": user.npi}]
    return resource


def appointment_resource(visit: Visit, link=ref) -> dict:
    return {
        "resourceType": "Appointment",
        "id": str(visit.uuid),
        "status": APPOINTMENT_STATUS[visit.status],
        "serviceType": [{"text": visit.visit_type.name}],
        "start": _iso(visit.start),
        "end": _iso(visit.end),
        "minutesDuration": visit.visit_type.duration_minutes,
        "participant": [
            {"actor": link("Patient", visit.patient.uuid), "status": "accepted"},
            {"actor": link("Practitioner", visit.clinician.uuid), "status": "accepted"},
        ],
    }


def derived_id(kind: str, key) -> str:
    """A stable UUID for resources that have no UUID of their own."""
    return str(uuid.uuid5(EXPORT_NAMESPACE, f"{kind}:{key}"))


def encounter_id(visit: Visit) -> str:
    return derived_id("encounter", visit.uuid)


def encounter_resource(visit: Visit, encounter_key: str, link=ref) -> dict:
    period = {"start": _iso(visit.checked_in_at or visit.start)}
    if visit.ended_at:
        period["end"] = _iso(visit.ended_at)
    return {
        "resourceType": "Encounter",
        "id": encounter_key,
        "status": ENCOUNTER_STATUS[visit.status],
        "class": {"system": ACT_CODE, "code": "VR", "display": "virtual"},
        "subject": link("Patient", visit.patient.uuid),
        "participant": [{"individual": link("Practitioner", visit.clinician.uuid)}],
        "appointment": [link("Appointment", visit.uuid)],
        "period": period,
    }


def observation_resource(reading: Reading, link=ref) -> dict:
    resource = {
        "resourceType": "Observation",
        "id": str(reading.uuid),
        "status": "final",
        "category": [
            {
                "coding": [
                    {
                        "system": OBSERVATION_CATEGORY,
                        "code": "vital-signs",
                        "display": "Vital Signs",
                    }
                ]
            }
        ],
        "subject": link("Patient", reading.patient.uuid),
        "effectiveDateTime": _iso(reading.measured_at),
    }
    if reading.external_id:
        resource["identifier"] = [{"value": reading.external_id}]
    if reading.sent_by:
        # The app (and its device) that sent the reading; no FHIR Device is kept.
        resource["device"] = {"display": reading.sent_by}
    profile = "us-core-blood-pressure" if reading.kind == "bp" else "us-core-heart-rate"
    resource["meta"] = {"profile": [f"{US_CORE}/{profile}"]}
    if reading.kind == Reading.Kind.BLOOD_PRESSURE:
        resource["code"] = _coding(LOINC, "85354-9", "Blood pressure panel")
        resource["component"] = [
            {
                "code": _coding(LOINC, "8480-6", "Systolic blood pressure"),
                "valueQuantity": _quantity(reading.systolic, "mm[Hg]"),
            },
            {
                "code": _coding(LOINC, "8462-4", "Diastolic blood pressure"),
                "valueQuantity": _quantity(reading.diastolic, "mm[Hg]"),
            },
        ]
    else:
        resource["code"] = _coding(LOINC, "8867-4", "Heart rate")
        resource["valueQuantity"] = _quantity(reading.heart_rate, "/min")
    return resource


def consent_resource(acceptance: ConsentAcceptance, link=ref) -> dict:
    return {
        "resourceType": "Consent",
        "id": derived_id(
            "consent", f"{acceptance.patient.uuid}:{acceptance.document.version}"
        ),
        "status": "active",
        "scope": _coding(
            "http://terminology.hl7.org/CodeSystem/consentscope",
            "treatment",
            "Treatment",
        ),
        "category": [{"coding": [{"system": LOINC, "code": "59284-0"}]}],
        "patient": link("Patient", acceptance.patient.uuid),
        "dateTime": _iso(acceptance.accepted_at),
        "policy": [
            {"uri": f"urn:telecampus:telehealth-consent:{acceptance.document.version}"}
        ],
    }


def note_document_resource(note: ClinicalNote, link=ref) -> dict:
    """A signed note; linked to its encounter when the visit took place."""
    text = "\n\n".join(
        f"{label}: {getattr(note, field)}"
        for label, field in (
            ("Subjective", "subjective"),
            ("Objective", "objective"),
            ("Assessment", "assessment"),
            ("Plan", "plan"),
        )
    )
    resource = {
        "resourceType": "DocumentReference",
        "id": str(note.uuid),
        "status": "current",
        "docStatus": "final",
        "type": _coding(LOINC, "11506-3", "Progress note"),
        "subject": link("Patient", note.visit.patient.uuid),
        "date": _iso(note.signed_at),
        "author": [link("Practitioner", note.signed_by.uuid)],
        "content": [
            {
                "attachment": {
                    "contentType": "text/plain; charset=utf-8",
                    "data": base64.b64encode(text.encode()).decode(),
                    "title": "Visit note",
                }
            },
            {
                "attachment": {
                    "contentType": "application/pdf",
                    "url": settings.BASE_URL
                    + reverse("visits:summary_pdf", args=[note.visit.uuid]),
                    "title": "After-visit summary",
                }
            },
        ],
    }
    if note.visit.status in ENCOUNTER_STATUS:
        resource["context"] = {
            "encounter": [link("Encounter", encounter_id(note.visit))]
        }
    return resource


def file_document_resource(document: Document, link=ref) -> dict:
    return {
        "resourceType": "DocumentReference",
        "id": str(document.uuid),
        "status": "current",
        "type": {"text": document.title},
        "subject": link("Patient", document.patient.uuid),
        "date": _iso(document.created_at),
        "content": [
            {
                "attachment": {
                    "contentType": document.content_type,
                    "url": settings.BASE_URL
                    + reverse("visits:document", args=[document.uuid]),
                    "title": document.title,
                }
            }
        ],
    }


def service_request_resource(referral: Referral, link=ref) -> dict:
    now = timezone.now()
    return {
        "resourceType": "ServiceRequest",
        "id": str(referral.uuid),
        "status": "active" if referral.expires_at > now else "completed",
        "intent": "order",
        "code": {"text": "Referral to a specialist"},
        "subject": link("Patient", referral.patient.uuid),
        "authoredOn": _iso(referral.created_at),
        "requester": link("Practitioner", referral.referring_clinician.uuid),
        "performer": [link("Practitioner", referral.specialist.uuid)],
        "reasonCode": [{"text": referral.reason}],
        "supportingInfo": [
            link("DocumentReference", item.uuid)
            for item in [*referral.shared_notes.all(), *referral.shared_documents.all()]
        ],
        "occurrencePeriod": {
            "start": _iso(referral.created_at),
            "end": _iso(referral.expires_at),
        },
    }


def medication_request_resource(refill: RefillRequest, link=ref) -> dict:
    status, intent = MEDICATION_STATUS[refill.status]
    resource = {
        "resourceType": "MedicationRequest",
        "id": str(refill.uuid),
        "status": status,
        "intent": intent,
        "medicationCodeableConcept": {"text": refill.medication},
        "subject": link("Patient", refill.patient.uuid),
        "authoredOn": _iso(refill.created_at),
        "requester": link("Practitioner", refill.clinician.uuid),
        "dosageInstruction": [{"text": refill.dosage}],
    }
    if refill.decision_reason and refill.status == RefillRequest.Status.DENIED:
        resource["statusReason"] = {"text": refill.decision_reason}
    return resource


FHIR_WEEKDAYS = {1: "mon", 2: "tue", 3: "wed", 4: "thu", 5: "fri", 6: "sat", 7: "sun"}


def medication_statement_resource(schedule: MedicationSchedule, link=ref) -> dict:
    """The schedule as the patient's statement of how they take the medicine.
    timeOfDay is wall-clock time in the schedule's zone; FHIR times carry no zone,
    so the dosage text names it."""
    if schedule.stopped_at is not None:
        status = "stopped"
    elif schedule.end_date and schedule.end_date < timezone.now().date():
        status = "completed"
    else:
        status = "active"
    bounds = {"start": schedule.start_date.isoformat()}
    if schedule.end_date:
        bounds["end"] = schedule.end_date.isoformat()
    prescription = schedule.prescription
    return {
        "resourceType": "MedicationStatement",
        "id": str(schedule.uuid),
        "status": status,
        "basedOn": [link("MedicationRequest", prescription.uuid)],
        "medicationCodeableConcept": {"text": prescription.medication},
        "subject": link("Patient", schedule.patient.uuid),
        "effectivePeriod": bounds,
        "dateAsserted": _iso(schedule.created_at),
        "dosage": [
            {
                "text": f"{prescription.dosage}; at "
                f"{', '.join(schedule.times_of_day)} ({schedule.time_zone})",
                "timing": {
                    "repeat": {
                        "boundsPeriod": bounds,
                        "dayOfWeek": [FHIR_WEEKDAYS[day] for day in schedule.weekdays],
                        "timeOfDay": [f"{text}:00" for text in schedule.times_of_day],
                    }
                },
            }
        ],
    }


def medication_administration_resource(dose: Dose, link=ref) -> dict:
    taken = dose.status == Dose.Status.TAKEN
    prescription = dose.schedule.prescription
    return {
        "resourceType": "MedicationAdministration",
        "id": str(dose.uuid),
        "status": "completed" if taken else "not-done",
        "medicationCodeableConcept": {"text": prescription.medication},
        "subject": link("Patient", dose.schedule.patient.uuid),
        "effectiveDateTime": _iso(dose.due_at),
        "request": link("MedicationRequest", prescription.uuid),
        "note": [{"text": "Reported by the patient."}],
    }


def build_bundle(patient) -> dict:
    """Everything in visits about this patient, as a FHIR R4 collection Bundle."""
    visits = list(
        Visit.objects.filter(patient=patient).select_related(
            "patient", "clinician", "visit_type"
        )
    )
    notes = list(
        ClinicalNote.objects.filter(
            visit__patient=patient, signed_at__isnull=False
        ).select_related("visit__patient", "visit__clinician", "signed_by")
    )
    documents = list(Document.objects.filter(patient=patient).select_related("patient"))
    referrals = list(
        Referral.objects.filter(patient=patient)
        .select_related("patient", "referring_clinician", "specialist")
        .prefetch_related("shared_notes", "shared_documents")
    )
    refills = list(
        RefillRequest.objects.filter(patient=patient).select_related(
            "patient", "clinician"
        )
    )
    practitioners = {v.clinician for v in visits}
    practitioners |= {n.signed_by for n in notes}
    practitioners |= {r.referring_clinician for r in referrals} | {
        r.specialist for r in referrals
    }
    practitioners |= {r.clinician for r in refills}

    resources = [patient_resource(patient)]
    resources += [
        practitioner_resource(p) for p in sorted(practitioners, key=lambda p: p.pk)
    ]
    resources += [appointment_resource(visit) for visit in visits]
    resources += [
        encounter_resource(visit, encounter_id(visit))
        for visit in visits
        if visit.status in ENCOUNTER_STATUS
    ]
    resources += [
        observation_resource(r)
        for r in Reading.objects.filter(patient=patient).select_related("patient")
    ]
    resources += [
        consent_resource(c)
        for c in ConsentAcceptance.objects.filter(patient=patient).select_related(
            "patient", "document"
        )
    ]
    resources += [note_document_resource(n) for n in notes]
    resources += [file_document_resource(d) for d in documents]
    resources += [service_request_resource(r) for r in referrals]
    resources += [medication_request_resource(r) for r in refills]
    schedules = MedicationSchedule.objects.filter(patient=patient).select_related(
        "patient", "prescription"
    )
    resources += [medication_statement_resource(s) for s in schedules]
    answered = Dose.objects.filter(
        schedule__patient=patient,
        status__in=[Dose.Status.TAKEN, Dose.Status.SKIPPED],
    ).select_related("schedule__patient", "schedule__prescription")
    resources += [medication_administration_resource(d) for d in answered]
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": _iso(timezone.now()),
        "entry": [
            {"fullUrl": f"urn:uuid:{resource['id']}", "resource": resource}
            for resource in resources
        ],
    }
