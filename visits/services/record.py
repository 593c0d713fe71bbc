"""The clinical record: SOAP notes and addenda, refills, follow-ups, messages.

Called by the clinician's and the patient's record views and by demo.py.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_q.tasks import async_task

from accounts.models import User
from visits.models import (
    Addendum,
    ClinicalNote,
    FollowUpProposal,
    RefillRequest,
    SecureMessage,
    Visit,
    VisitType,
)
from visits.services.booking import BookingError

NOTE_FIELDS = ("subjective", "objective", "assessment", "plan", "patient_instructions")


class RecordError(BookingError):
    """A change the record does not allow; `message` says why."""


@transaction.atomic
def save_note(*, note: ClinicalNote, **sections: str) -> ClinicalNote:
    note = ClinicalNote.objects.select_for_update().get(pk=note.pk)
    if note.is_signed:
        raise RecordError(
            _("This note is signed and locked. Add an addendum to change it.")
        )
    for field in NOTE_FIELDS:
        if field in sections:
            setattr(note, field, sections[field])
    note.save()
    return note


@transaction.atomic
def sign_note(
    *, note: ClinicalNote, clinician: User, now: datetime | None = None
) -> ClinicalNote:
    note = ClinicalNote.objects.select_for_update().get(pk=note.pk)
    if note.is_signed:
        raise RecordError(_("This note is already signed."))
    if not (note.assessment.strip() and note.plan.strip()):
        raise RecordError(_("Write the assessment and the plan before signing."))
    note.signed_at = now or timezone.now()
    note.signed_by = clinician
    note.save(update_fields=["signed_at", "signed_by"])
    return note


@transaction.atomic
def add_addendum(*, note: ClinicalNote, author: User, text: str) -> Addendum:
    if not note.is_signed:
        raise RecordError(_("Edit the note itself until it is signed."))
    if not text.strip():
        raise RecordError(_("Please write the addendum."))
    return Addendum.objects.create(
        note=note, author=author, text=text.strip(), created_at=timezone.now()
    )


@transaction.atomic
def request_refill(
    *, patient: User, clinician: User, medication: str, dosage: str
) -> RefillRequest:
    if not Visit.objects.filter(patient=patient, clinician=clinician).exists():
        raise RecordError(_("Please ask a clinician you have seen before."))
    return RefillRequest.objects.create(
        patient=patient,
        clinician=clinician,
        medication=medication.strip(),
        dosage=dosage.strip(),
        created_at=timezone.now(),
    )


@transaction.atomic
def decide_refill(
    *, refill: RefillRequest, approve: bool, reason: str
) -> RefillRequest:
    refill = RefillRequest.objects.select_for_update().get(pk=refill.pk)
    if refill.status != RefillRequest.Status.PENDING:
        raise RecordError(_("This request was already answered."))
    if not approve and not reason.strip():
        raise RecordError(_("Please give the patient a reason for the denial."))
    refill.status = (
        RefillRequest.Status.APPROVED if approve else RefillRequest.Status.DENIED
    )
    refill.decision_reason = reason.strip()
    refill.decided_at = timezone.now()
    refill.save(update_fields=["status", "decision_reason", "decided_at"])
    return refill


@transaction.atomic
def propose_follow_up(
    *, visit: Visit, visit_type: VisitType, within_days: int, note: str = ""
) -> FollowUpProposal:
    return FollowUpProposal.objects.create(
        visit=visit,
        visit_type=visit_type,
        within_days=within_days,
        note=note,
        created_at=timezone.now(),
    )


@transaction.atomic
def respond_to_follow_up(
    *, proposal: FollowUpProposal, accept: bool
) -> FollowUpProposal:
    proposal = FollowUpProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != FollowUpProposal.Status.PROPOSED:
        raise RecordError(_("You already answered this proposal."))
    proposal.status = (
        FollowUpProposal.Status.ACCEPTED if accept else FollowUpProposal.Status.DECLINED
    )
    proposal.responded_at = timezone.now()
    proposal.save(update_fields=["status", "responded_at"])
    return proposal


@transaction.atomic
def send_secure_message(*, visit: Visit, sender: User, body: str) -> SecureMessage:
    if not body.strip():
        raise RecordError(_("Please write a message."))
    message = SecureMessage.objects.create(
        visit=visit, sender=sender, body=body.strip(), created_at=timezone.now()
    )
    transaction.on_commit(
        lambda: async_task("visits.tasks.send_message_notice_task", str(message.uuid))
    )
    return message
