"""Scheduling: create meetings and visit rooms, move or cancel a series or one sitting.

Called by the scheduling form, the Wagtail admin, visits (create_visit_room,
schedule_meeting for care coordination) and the demo.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.services import Refusal
from meetings import jitsi
from meetings.models import (
    Guest,
    InvitationEmail,
    Meeting,
    Occurrence,
    invitable_people,
    only_invitable,
    validate_meeting_date,
)
from meetings.recurrence import expand, rule_is_bounded
from meetings.services.invitations import queue_invitations
from meetings.services.reminders import first_reminder_at, reset_reminders


class SchedulingConflicts(Refusal):
    """Some people are already booked at one of the meeting's sittings; the
    organizer may schedule it anyway."""

    code = "conflicts"
    status = 409

    def __init__(self, people: list[User]):
        super().__init__(
            _("Some people are already in another meeting at that time: %(names)s.")
            % {"names": ", ".join(person.display_name for person in people)}
        )
        self.people = people


def validate_title(title: str) -> str:
    title = title.strip()
    if not title:
        raise ValidationError(_("Please give the meeting a title."), code="title")
    if "\r" in title or "\n" in title:
        raise ValidationError(
            _("The title must fit on one line; put details in the agenda."),
            code="title_newline",
        )
    return title


def validate_timing(*, start: datetime, duration_minutes: int) -> None:
    if timezone.is_naive(start):
        raise ValidationError(_("The start time needs a time zone."), code="naive")
    validate_meeting_date(start)
    if duration_minutes <= 0:
        raise ValidationError(
            _("The meeting must end after it starts."), code="end_before_start"
        )
    if duration_minutes > settings.MEETINGS_MAX_DURATION_MINUTES:
        raise ValidationError(
            _("A meeting can last at most 24 hours."), code="too_long"
        )


def validate_guest_emails(emails: Iterable[str]) -> list[str]:
    cleaned = []
    for raw in emails:
        email = raw.strip().lower()
        if not email:
            continue
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError(
                _("“%(email)s” is not a valid email address.") % {"email": raw.strip()},
                code="guest_email",
            ) from None
        if email not in cleaned:
            cleaned.append(email)
    if len(cleaned) > settings.MEETINGS_MAX_GUESTS:
        raise ValidationError(
            _(
                "A meeting can have at most %(max)d outside guests; you gave "
                "%(count)d. Invite a group or send the rest the link yourself."
            )
            % {"max": settings.MEETINGS_MAX_GUESTS, "count": len(cleaned)},
            code="too_many_guests",
        )
    return cleaned


def validate_people(
    *, invitees: Iterable, co_hosts: Iterable, groups: Iterable
) -> None:
    """Only staff may be named (patients meet in visit rooms), and not too many.

    Group members count too: each of them gets an email.
    """
    named = {person.pk for person in [*invitees, *co_hosts]}
    allowed = set(
        only_invitable(User.objects.filter(pk__in=named)).values_list("pk", flat=True)
    )
    if named - allowed:
        raise ValidationError(
            _("Only staff members can be invited to a meeting."), code="not_staff"
        )
    members = User.objects.filter(groups__in=list(groups)).filter(invitable_people())
    count = len(named | set(members.values_list("pk", flat=True)))
    if count > settings.MEETINGS_MAX_PARTICIPANTS:
        raise ValidationError(
            _(
                "A meeting can have at most %(max)d people; these invitations "
                "reach %(count)d. Invite fewer people or smaller groups."
            )
            % {"max": settings.MEETINGS_MAX_PARTICIPANTS, "count": count},
            code="too_many_people",
        )


def occurrence_starts(
    *, start: datetime, time_zone: str, recurrence_rule: str
) -> tuple[list[datetime], bool]:
    """The series' starts (capped) and whether the cap cut it short."""
    expansion = expand(
        start=start,
        zone_name=time_zone,
        rule=recurrence_rule,
        cap=settings.MEETINGS_MAX_OCCURRENCES,
    )
    return expansion.starts, expansion.capped


def _first_reminder(
    meeting: Meeting, *, start: datetime, now: datetime
) -> datetime | None:
    # Visit rooms get no meetings reminders: visits sends its own notices.
    if not meeting.kind_rule.on_portal:
        return None
    return first_reminder_at(start=start, now=now)


def _create_occurrences(meeting: Meeting, starts: list[datetime]) -> None:
    now = timezone.now()
    Occurrence.objects.bulk_create(
        Occurrence(
            meeting=meeting,
            original_start=start,
            start=start,
            duration_minutes=meeting.duration_minutes,
            next_reminder_at=_first_reminder(meeting, start=start, now=now),
        )
        for start in starts
    )


def _guest_expiry(meeting: Meeting) -> datetime:
    last = meeting.occurrences.order_by("-start").first()
    end = last.end if last else meeting.start + meeting.duration
    return end + timedelta(hours=settings.MEETINGS_GUEST_LINK_GRACE_HOURS)


@transaction.atomic
def schedule_meeting(
    *,
    organizer,
    kind: str,
    title: str,
    start: datetime,
    duration_minutes: int,
    time_zone: str,
    invitees: Iterable = (),
    guest_emails: Iterable[str] = (),
    agenda: str = "",
    co_hosts: Iterable = (),
    groups: Iterable = (),
    recurrence_rule: str = "",
    exceptions: Iterable[datetime] = (),
    cme_activity_uuid=None,
    recording_enabled: bool = False,
    livestreaming_enabled: bool = False,
    transcription_enabled: bool = False,
    send_invitations: bool = True,
    refuse_conflicts: bool = False,
) -> Meeting:
    """Create a meeting (or series), its occurrences and guests, and queue invitations.

    With `refuse_conflicts`, raises SchedulingConflicts naming the invitees and
    co-hosts already booked in another meeting at any of its sittings.

    A rule without COUNT or UNTIL is capped at MEETINGS_MAX_OCCURRENCES: the stored
    rule gets that COUNT, so calendar programs show the same series we remind about.
    `exceptions` are UTC starts the series skips (EXDATE).
    """
    title = validate_title(title)
    validate_timing(start=start, duration_minutes=duration_minutes)
    guest_emails = validate_guest_emails(guest_emails)
    invitees, co_hosts, groups = list(invitees), list(co_hosts), list(groups)
    # Visit rooms are the one place a patient is invited; visits creates them. An
    # unknown kind has no rule: full_clean below refuses it.
    rule = Meeting.KIND_RULES.get(kind)
    if not (rule and rule.patients_invited):
        validate_people(invitees=invitees, co_hosts=co_hosts, groups=groups)
    starts, capped = occurrence_starts(
        start=start, time_zone=time_zone, recurrence_rule=recurrence_rule
    )
    if refuse_conflicts and (
        busy := find_conflicts(
            people=invitees + co_hosts,
            starts=starts,
            duration_minutes=duration_minutes,
        )
    ):
        raise SchedulingConflicts(busy)
    if recurrence_rule and (capped or not rule_is_bounded(recurrence_rule)):
        if rule_is_bounded(recurrence_rule):
            raise ValidationError(
                _("A series can have at most %(max)d meetings.")
                % {"max": settings.MEETINGS_MAX_OCCURRENCES},
                code="too_many_occurrences",
            )
        recurrence_rule = f"{recurrence_rule};COUNT={len(starts)}"
    meeting = Meeting(
        organizer=organizer,
        kind=kind,
        title=title,
        agenda=agenda,
        start=starts[0],
        duration_minutes=duration_minutes,
        time_zone=time_zone,
        recurrence_rule=recurrence_rule,
        room_slug=jitsi.new_room_slug(),
        cme_activity_uuid=cme_activity_uuid,
        recording_enabled=recording_enabled,
        livestreaming_enabled=livestreaming_enabled,
        transcription_enabled=transcription_enabled,
    )
    meeting.full_clean()
    meeting.save()
    meeting.invitees.set(invitees)
    meeting.co_hosts.set(co_hosts)
    meeting.invitee_groups.set(groups)
    _create_occurrences(meeting, starts)
    skipped = set(exceptions)
    if skipped:
        meeting.occurrences.filter(original_start__in=skipped).update(
            is_cancelled=True, next_reminder_at=None
        )
    expiry = _guest_expiry(meeting)
    Guest.objects.bulk_create(
        Guest(meeting=meeting, email=email, expires_at=expiry) for email in guest_emails
    )
    if send_invitations:
        queue_invitations(meeting=meeting, method=InvitationEmail.Method.REQUEST)
    return meeting


@transaction.atomic
def create_visit_room(
    *, clinician, patient, start: datetime, duration_minutes: int, time_zone: str
) -> Meeting:
    """A telemedicine visit room: generic title, no recording, patient in the lobby.

    visits sends its own notices, so this sends no email and no calendar file.
    """
    return schedule_meeting(
        organizer=clinician,
        kind=Meeting.Kind.TELEMEDICINE_VISIT,
        title=str(Meeting.Kind.TELEMEDICINE_VISIT.label),
        start=start,
        duration_minutes=duration_minutes,
        time_zone=time_zone,
        invitees=[patient],
        send_invitations=False,
    )


def _bump(meeting: Meeting) -> None:
    meeting.sequence += 1
    meeting.save(update_fields=["sequence", "updated_at"])


@transaction.atomic
def move_meeting(
    *, meeting: Meeting, start: datetime, duration_minutes: int
) -> Meeting:
    """Move a whole series: sittings keep their rows (and uuids) in order.

    Changes made to single sittings are dropped, as calendar programs do when the
    series itself moves. Reminders start over.
    """
    validate_timing(start=start, duration_minutes=duration_minutes)
    starts, _capped = occurrence_starts(
        start=start,
        time_zone=meeting.time_zone,
        recurrence_rule=meeting.recurrence_rule,
    )
    existing = list(meeting.occurrences.order_by("original_start"))
    now = timezone.now()
    # Park the rows far away first: the new slots may collide with old ones under
    # the one-occurrence-per-slot constraint while they are being rewritten.
    for occurrence in existing:
        occurrence.original_start += timedelta(days=36500)
    Occurrence.objects.bulk_update(existing, ["original_start"])
    for occurrence, new_start in zip(existing, starts, strict=False):
        occurrence.original_start = new_start
        occurrence.start = new_start
        occurrence.duration_minutes = duration_minutes
        occurrence.is_modified = False
        occurrence.next_reminder_at = _first_reminder(meeting, start=new_start, now=now)
    Occurrence.objects.bulk_update(
        existing[: len(starts)],
        [
            "original_start",
            "start",
            "duration_minutes",
            "is_modified",
            "next_reminder_at",
        ],
    )
    Occurrence.objects.filter(pk__in=[o.pk for o in existing[len(starts) :]]).delete()
    meeting.start = starts[0]
    meeting.duration_minutes = duration_minutes
    meeting.save(update_fields=["start", "duration_minutes"])
    _create_occurrences(meeting, starts[len(existing) :])
    reset_reminders(occurrences=meeting.occurrences.all())
    _bump(meeting)
    queue_invitations(meeting=meeting, method=InvitationEmail.Method.REQUEST)
    return meeting


@transaction.atomic
def move_occurrence(
    *, occurrence: Occurrence, start: datetime, duration_minutes: int
) -> Occurrence:
    """Change one sitting (a RECURRENCE-ID override); its reminders start over."""
    validate_timing(start=start, duration_minutes=duration_minutes)
    occurrence.start = start
    occurrence.duration_minutes = duration_minutes
    occurrence.is_modified = True
    occurrence.next_reminder_at = _first_reminder(
        occurrence.meeting, start=start, now=timezone.now()
    )
    occurrence.save()
    reset_reminders(occurrences=[occurrence])
    _bump(occurrence.meeting)
    queue_invitations(
        meeting=occurrence.meeting,
        method=InvitationEmail.Method.REQUEST,
        occurrence=occurrence,
    )
    return occurrence


@transaction.atomic
def cancel_occurrence(*, occurrence: Occurrence) -> Occurrence:
    """Cancel one sitting (EXDATE in the series, CANCEL with RECURRENCE-ID)."""
    occurrence.is_cancelled = True
    occurrence.next_reminder_at = None
    occurrence.save(update_fields=["is_cancelled", "next_reminder_at"])
    _bump(occurrence.meeting)
    queue_invitations(
        meeting=occurrence.meeting,
        method=InvitationEmail.Method.CANCEL,
        occurrence=occurrence,
    )
    return occurrence


@transaction.atomic
def cancel_meeting(*, meeting: Meeting) -> Meeting:
    """Cancel the whole meeting or series; reminders stop, everyone gets a CANCEL."""
    meeting.status = Meeting.Status.CANCELLED
    meeting.save(update_fields=["status", "updated_at"])
    meeting.occurrences.update(next_reminder_at=None)
    _bump(meeting)
    queue_invitations(meeting=meeting, method=InvitationEmail.Method.CANCEL)
    return meeting


def find_conflicts(
    *, people: Iterable, starts: Iterable[datetime], duration_minutes: int
) -> list:
    """People already booked in another meeting overlapping any of these sittings."""
    duration = timedelta(minutes=duration_minutes)
    people = list(people)
    if not people:
        return []
    overlap = Q()
    for start in starts:
        overlap |= Q(start__lt=start + duration, start__gte=start - timedelta(hours=24))
    busy = []
    candidates = Occurrence.objects.active().filter(overlap).select_related("meeting")
    for occurrence in candidates:
        sitting_end = occurrence.end
        if not any(
            occurrence.start < start + duration and start < sitting_end
            for start in starts
        ):
            continue
        booked = set(
            occurrence.meeting.participants().filter(pk__in=[p.pk for p in people])
        )
        busy.extend(p for p in booked if p not in busy)
    return sorted(busy, key=lambda user: user.display_name) if busy else []
