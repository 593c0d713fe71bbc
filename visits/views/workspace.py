"""The clinician's visit workspace: one page to run a visit.

The patient (name, age, reason, intake), their last readings and open alerts,
active medicines with their schedules and adherence, refill requests to decide
on the spot, past signed notes,
the note editor and the video panel (admit, join, running late, end). Each kind
of record shown is audited as a PHI read, like every other visits page.
"""

from datetime import date

from django.shortcuts import render
from django.utils import timezone

from accounts.services import in_zone
from visits.audit import record_reads
from visits.chart import build_readings_chart
from visits.forms import NoteForm
from visits.models import (
    Alert,
    ClinicalNote,
    PatientProfile,
    RefillRequest,
    Visit,
)
from visits.questionnaires import QUESTIONNAIRES
from visits.services.medication import adherence_for
from visits.services.record import NOTE_FIELDS
from visits.services.visit_flow import (
    admission_opens,
    estimated_wait_minutes,
    note_or_draft,
)

# What the page shows of the record (each one audited as its own read).
PAST_NOTES = 5


def age_on(born: date | None, today: date) -> int | None:
    if born is None:
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _intake(visit: Visit) -> tuple[list[tuple[str, str]], list[dict]]:
    questions = {q["key"]: q["text"] for q in visit.visit_type.intake_questions}
    intake = visit.intake_answers or {}
    answers = [
        (questions.get(key, key), answer)
        for key, answer in intake.get("answers", {}).items()
        if answer
    ]
    scores = [
        {"label": label, **intake[key]}
        for key, label in (("phq9", "PHQ-9"), ("gad7", "GAD-7"))
        if key in intake and key in QUESTIONNAIRES
    ]
    return answers, scores


def note_editor_form(note: ClinicalNote) -> NoteForm | None:
    if note.is_signed:
        return None
    return NoteForm(initial={field: getattr(note, field) for field in NOTE_FIELDS})


def workspace(request, visit: Visit):
    """Rendered by booking.visit_detail when the visit's own clinician opens it
    (the access policy has already let them in and logged the visit read)."""
    patient = visit.patient
    now = timezone.now()
    profile = PatientProfile.objects.filter(patient=patient).first()
    open_alerts = list(Alert.objects.filter(patient=patient, status=Alert.Status.OPEN))
    refills = list(RefillRequest.objects.filter(patient=patient))
    pending_refills = [
        refill
        for refill in refills
        if refill.status == RefillRequest.Status.PENDING
        and refill.clinician_id == request.user.pk
    ]
    medicines = [r for r in refills if r.status == RefillRequest.Status.APPROVED]
    past_notes = list(
        ClinicalNote.objects.filter(visit__patient=patient, signed_at__isnull=False)
        .exclude(visit=visit)
        .select_related("visit__visit_type", "signed_by")
        .order_by("-signed_at")[:PAST_NOTES]
    )
    # Shown like the note page does: the intake prefills Subjective. Nothing is
    # saved until the clinician saves the note.
    note = note_or_draft(visit)
    for what in (
        "patient_profile",
        "intake",
        "readings",
        "alert",
        "refill_request",
        "clinical_note",
        "medication_schedule",
    ):
        record_reads(actor=request.user, what=what, patients=[patient], request=request)
    answers, scores = _intake(visit)
    return render(
        request,
        "visits/workspace.html",
        {
            "visit": visit,
            "patient": patient,
            "age": age_on(
                profile.date_of_birth if profile else None,
                in_zone(now, patient).date(),
            ),
            "intake_answers": answers,
            "intake_scores": scores,
            "chart": build_readings_chart(
                patient=patient, viewer_zone=request.user.time_zone
            ),
            "open_alerts": open_alerts,
            "medicines": medicines,
            "pending_refills": pending_refills,
            "adherence": adherence_for(patient, now=now),
            "past_notes": past_notes,
            "note": note,
            "note_form": note_editor_form(note),
            "admission_opens": admission_opens(visit),
            "can_admit_now": visit.status == Visit.Status.WAITING
            and now >= admission_opens(visit),
            "estimated_wait": estimated_wait_minutes(visit, now),
        },
    )
