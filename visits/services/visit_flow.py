"""A visit's day: consent, intake, check-in, waiting room, admission and the end.

Called by the visit views (patient and clinician) and demo.py. The video room
itself comes from meetings through visits.services.video.
"""

import math
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from visits.errors import VisitsError
from visits.models import ClinicalNote, ConsentAcceptance, ConsentDocument, Visit
from visits.questionnaires import QUESTIONNAIRES, questionnaires_for, severity
from visits.services.video import close_room, ensure_room, open_room

# Patients may check in this long before the start.
CHECK_IN_OPENS = timedelta(minutes=30)
# The clinician may admit a checked-in patient from this long before the start
# until this long after the scheduled end; admitting opens the video room there and
# then for both (meetings.open_room_now), for the visit's full length plus the
# reconnect grace. Documented in README ("Visit day") and docs/decisions.
ADMISSION_MARGIN = timedelta(minutes=30)


class VisitStateError(VisitsError):
    """The visit is not in a state that allows this (cancelled, ended, too early)."""


class ConsentRequired(VisitStateError):
    """The current consent version has not been accepted yet."""


def current_consent() -> ConsentDocument:
    return ConsentDocument.objects.order_by("-version").first()


def consent_needed(patient) -> ConsentDocument | None:
    """The consent version this patient still has to accept, if any."""
    document = current_consent()
    if (
        document is None
        or ConsentAcceptance.objects.filter(patient=patient, document=document).exists()
    ):
        return None
    return document


@transaction.atomic
def accept_consent(
    *, visit: Visit, document: ConsentDocument, ip_address: str | None
) -> ConsentAcceptance:
    if document != current_consent():
        raise VisitStateError(
            _("A newer version of the consent was published. Please read it again.")
        )
    acceptance, _created = ConsentAcceptance.objects.get_or_create(
        patient=visit.patient,
        document=document,
        defaults={
            "visit": visit,
            "accepted_at": timezone.now(),
            "ip_address": ip_address,
        },
    )
    return acceptance


def _require_live(visit: Visit) -> None:
    if visit.status == Visit.Status.CANCELLED:
        raise VisitStateError(_("This visit was cancelled. Please book a new one."))
    if not visit.is_active:
        raise VisitStateError(_("This visit has ended."))


@transaction.atomic
def save_intake(*, visit: Visit, answers: dict[str, str], scores: dict) -> Visit:
    """Store intake answers and questionnaire item scores (0-3 each)."""
    _require_live(visit)
    intake = {"answers": answers}
    for key in questionnaires_for(visit.visit_type.questionnaire):
        items = [int(value) for value in scores[key]]
        if len(items) != len(QUESTIONNAIRES[key]) or not all(
            0 <= value <= 3 for value in items
        ):
            raise VisitStateError(_("Please answer every questionnaire item."))
        total = sum(items)
        intake[key] = {
            "items": items,
            "score": total,
            "severity": severity(key, total),
        }
    visit.intake_answers = intake
    visit.save(update_fields=["intake_answers"])
    return visit


def intake_summary(visit: Visit) -> str:
    """Plain text of the intake, used to prefill the note's Subjective section."""
    questions = {q["key"]: q["text"] for q in visit.visit_type.intake_questions}
    intake = visit.intake_answers or {}
    lines = [
        f"{questions.get(key, key)} {answer}"
        for key, answer in intake.get("answers", {}).items()
        if answer
    ]
    for key, label in (("phq9", "PHQ-9"), ("gad7", "GAD-7")):
        if key in intake:
            lines.append(
                f"{label} score {intake[key]['score']} ({intake[key]['severity']})."
            )
    return "\n".join(lines)


@transaction.atomic
def check_in(*, visit: Visit, now: datetime | None = None) -> Visit:
    """The patient enters the waiting room (consent first)."""
    now = now or timezone.now()
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    _require_live(visit)
    if consent_needed(visit.patient):
        raise ConsentRequired(
            _("Please read and accept the telehealth consent before you join.")
        )
    if now < visit.start - CHECK_IN_OPENS:
        raise VisitStateError(
            _("Check-in opens 30 minutes before your visit. Please come back then.")
        )
    if visit.status == Visit.Status.BOOKED:
        visit.status = Visit.Status.WAITING
        visit.checked_in_at = now
        visit.save(update_fields=["status", "checked_in_at"])
        ensure_room(visit)
    return visit


@transaction.atomic
def set_running_late(*, visit: Visit, minutes: int) -> Visit:
    _require_live(visit)
    visit.running_late_minutes = max(0, min(minutes, 120))
    visit.save(update_fields=["running_late_minutes"])
    return visit


def admission_opens(visit: Visit) -> datetime:
    return visit.start - ADMISSION_MARGIN


def admission_closes(visit: Visit) -> datetime:
    return visit.end + ADMISSION_MARGIN


@transaction.atomic
def admit_patient(*, visit: Visit, now: datetime | None = None) -> Visit:
    """The clinician lets the waiting patient into the video call, early or late
    within ADMISSION_MARGIN of the visit; the room opens for both at once."""
    now = now or timezone.now()
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    if visit.status == Visit.Status.IN_PROGRESS:
        return visit
    if visit.status == Visit.Status.BOOKED:
        raise VisitStateError(
            _(
                "The patient has not checked in yet. You can admit them as soon as "
                "they are in the waiting room."
            )
        )
    if visit.status != Visit.Status.WAITING:
        raise VisitStateError(_("The patient is not in the waiting room."))
    if now < admission_opens(visit):
        raise VisitStateError(
            _(
                "It is too early to admit the patient: you can admit them from "
                "%(minutes)d minutes before the start."
            )
            % {"minutes": ADMISSION_MARGIN.seconds // 60}
        )
    if now > admission_closes(visit):
        raise VisitStateError(
            _(
                "This visit's time has passed. Please send the patient a message "
                "and propose a new visit."
            )
        )
    visit.status = Visit.Status.IN_PROGRESS
    visit.admitted_at = now
    visit.save(update_fields=["status", "admitted_at"])
    open_room(visit, now=now, margin=ADMISSION_MARGIN)
    return visit


@transaction.atomic
def end_visit(*, visit: Visit, now: datetime | None = None) -> Visit:
    """The clinician ends the visit; the room refuses new joins from now on."""
    now = now or timezone.now()
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    if visit.status not in (Visit.Status.WAITING, Visit.Status.IN_PROGRESS):
        raise VisitStateError(_("Only a visit that has started can be ended."))
    visit.status = Visit.Status.COMPLETED
    visit.ended_at = now
    visit.save(update_fields=["status", "ended_at"])
    close_room(visit)
    return visit


def estimated_wait_minutes(visit: Visit, now: datetime | None = None) -> int | None:
    """Minutes until the clinician is expected: the start, pushed back by the
    delay they announced; None once the visit is no longer waiting."""
    if visit.status not in (Visit.Status.BOOKED, Visit.Status.WAITING):
        return None
    now = now or timezone.now()
    expected = visit.start + timedelta(minutes=visit.running_late_minutes)
    return max(0, math.ceil((expected - now).total_seconds() / 60))


def waiting_status(visit: Visit, now: datetime | None = None) -> dict:
    """What the waiting room shows; static/js/visits/waiting_room.js polls it."""
    wait = estimated_wait_minutes(visit, now)
    if visit.status == Visit.Status.IN_PROGRESS:
        message = _("The clinician is ready for you. Joining the video call now.")
    elif visit.status == Visit.Status.WAITING and visit.running_late_minutes:
        message = _(
            "The clinician is running late, about %(minutes)d minutes. "
            "Please stay on this page."
        ) % {"minutes": visit.running_late_minutes}
    elif visit.status == Visit.Status.WAITING:
        message = _(
            "You are in the waiting room. The clinician will let you in shortly."
        )
    elif visit.status == Visit.Status.CANCELLED:
        message = _("This visit was cancelled.")
    elif visit.status == Visit.Status.BOOKED:
        message = _("You have not checked in yet.")
    else:
        message = _("This visit has ended.")
    if visit.status == Visit.Status.WAITING:
        if wait:
            message += " " + ngettext(
                "Estimated wait: about %(minutes)d minute.",
                "Estimated wait: about %(minutes)d minutes.",
                wait,
            ) % {"minutes": wait}
        else:
            message += " " + _("The clinician can let you in at any moment.")
    return {
        "status": visit.status,
        "admitted": visit.status == Visit.Status.IN_PROGRESS,
        "running_late_minutes": visit.running_late_minutes,
        "estimated_wait_minutes": wait,
        "message": message,
    }


def note_or_draft(visit: Visit) -> ClinicalNote:
    """The visit's saved note, or an unsaved draft with the intake in Subjective.

    Pages that only show the note editor use this: opening a page writes nothing,
    so a booked or cancelled visit never gains an empty note by being looked at.
    """
    saved = ClinicalNote.objects.filter(visit=visit).first()
    return saved or ClinicalNote(visit=visit, subjective=intake_summary(visit))


@transaction.atomic
def start_note(*, visit: Visit) -> ClinicalNote:
    """The visit's note, created when the clinician first saves it, with the
    intake in Subjective."""
    note, _created = ClinicalNote.objects.get_or_create(
        visit=visit, defaults={"subjective": intake_summary(visit)}
    )
    return note
