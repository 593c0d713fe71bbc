"""Documents, referrals with time-limited sharing, care links and break-glass.

Called by the record, referral and break-glass views and by demo.py. The
care-coordination meeting goes through meetings.services.schedule_meeting with
a generic title: meetings never sees the reason for the referral. A new referral
mails the specialist, and the specialist's first look mails the referring
clinician (visits.tasks, after commit; neither email carries clinical details).
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_q.tasks import async_task

from accounts.models import User
from meetings.models import Meeting
from meetings.services import schedule_meeting
from visits.access import role_allows
from visits.audit import Action, record_event
from visits.errors import VisitsError
from visits.models import (
    BreakGlassGrant,
    CareRelationship,
    ClinicalNote,
    Document,
    Referral,
)
from visits.uploads import clean_document


class SharingError(VisitsError):
    """A referral, share or break-glass request that cannot be made."""


@transaction.atomic
def store_document(*, patient: User, uploaded_by: User, title: str, upload) -> Document:
    """Check the upload by content, re-encode images, store under a random name."""
    clean = clean_document(upload)
    document = Document(
        patient=patient,
        title=title.strip() or _("Untitled document"),
        content_type=clean.content_type,
        uploaded_by=uploaded_by,
        created_at=timezone.now(),
    )
    document.file.save("upload", ContentFile(clean.content), save=False)
    document.save()
    return document


@transaction.atomic
def start_care_relationship(*, clinician: User, patient: User) -> CareRelationship:
    relationship, _created = CareRelationship.objects.update_or_create(
        clinician=clinician,
        patient=patient,
        defaults={"ended_at": None, "created_at": timezone.now()},
    )
    return relationship


@transaction.atomic
def create_referral(
    *,
    clinician: User,
    patient: User,
    specialist: User,
    reason: str,
    notes: list[ClinicalNote] = (),
    documents: list[Document] = (),
    days: int | None = None,
    now: datetime | None = None,
) -> Referral:
    """Share exactly the chosen signed notes and documents with the specialist."""
    now = now or timezone.now()
    if not role_allows(specialist, "visits.receive_referrals"):
        raise SharingError(_("Please choose a specialist."))
    if any(note.visit.patient_id != patient.pk or not note.is_signed for note in notes):
        raise SharingError(_("Only this patient's signed notes can be shared."))
    if any(document.patient_id != patient.pk for document in documents):
        raise SharingError(_("Only this patient's documents can be shared."))
    if not reason.strip():
        raise SharingError(_("Please give the reason for the referral."))
    referral = Referral.objects.create(
        patient=patient,
        referring_clinician=clinician,
        specialist=specialist,
        reason=reason.strip(),
        created_at=now,
        expires_at=now + timedelta(days=days or settings.VISITS_REFERRAL_ACCESS_DAYS),
    )
    referral.shared_notes.set(notes)
    referral.shared_documents.set(documents)
    _enqueue("send_referral_notice_task", referral)
    return referral


def _enqueue(task: str, referral: Referral) -> None:
    transaction.on_commit(
        lambda: async_task(f"visits.tasks.{task}", str(referral.uuid))
    )


@transaction.atomic
def mark_referral_opened(
    *, referral: Referral, specialist: User, now: datetime | None = None
) -> bool:
    """Note the specialist's first look; True (and a notice queued) only that once.

    The conditional UPDATE is the claim: two tabs opening at once notify once."""
    if specialist.pk != referral.specialist_id:
        return False
    now = now or timezone.now()
    first = Referral.objects.filter(pk=referral.pk, opened_at__isnull=True).update(
        opened_at=now
    )
    if first:
        referral.opened_at = now
        _enqueue("send_referral_opened_notice_task", referral)
    return bool(first)


@transaction.atomic
def schedule_care_meeting(
    *, referral: Referral, start: datetime, duration_minutes: int = 30
) -> Referral:
    """A care-coordination meeting between the two clinicians, generic title only."""
    if referral.meeting_uuid:
        raise SharingError(_("This referral already has a care-coordination meeting."))
    organizer = referral.referring_clinician
    meeting = schedule_meeting(
        organizer=organizer,
        kind=Meeting.Kind.CARE_COORDINATION,
        title="Care coordination meeting",
        start=start,
        duration_minutes=duration_minutes,
        time_zone=organizer.time_zone,
        invitees=[referral.specialist],
    )
    referral.meeting_uuid = meeting.uuid
    referral.save(update_fields=["meeting_uuid"])
    return referral


@transaction.atomic
def open_break_glass(
    *, user: User, patient: User, reason: str, request=None
) -> BreakGlassGrant:
    """Emergency access for a clinician: a real reason, a time box, a review."""
    if not role_allows(user, "visits.break_glass"):
        raise SharingError(_("Only clinicians can use emergency access."))
    if len(reason.strip()) < 15:
        raise SharingError(_("Please explain the emergency in at least 15 characters."))
    now = timezone.now()
    grant = BreakGlassGrant.objects.create(
        user=user,
        patient=patient,
        reason=reason.strip(),
        created_at=now,
        expires_at=now + timedelta(minutes=settings.VISITS_BREAK_GLASS_MINUTES),
    )
    record_event(
        actor=user,
        action=Action.BREAK_GLASS,
        what="break_glass_grant",
        patient=patient,
        object_uuid=grant.uuid,
        request=request,
    )
    return grant


@transaction.atomic
def review_break_glass(
    *, grant: BreakGlassGrant, reviewer: User, note: str
) -> BreakGlassGrant:
    grant = BreakGlassGrant.objects.select_for_update().get(pk=grant.pk)
    if grant.reviewed_at:
        raise SharingError(_("This access was already reviewed."))
    if reviewer.pk == grant.user_id:
        raise SharingError(_("Nobody can review their own emergency access."))
    grant.reviewed_at = timezone.now()
    grant.reviewed_by = reviewer
    grant.review_note = note.strip()
    grant.save(update_fields=["reviewed_at", "reviewed_by", "review_note"])
    return grant
