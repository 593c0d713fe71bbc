"""Reminders: one periodic sweeper sends each reminder exactly once.

Called by the django-q2 Schedule (meetings.tasks.sweep_task, created after migrate)
and by the scheduling services (first_reminder_at, reset_reminders).

How "exactly once" holds with two workers or a restart mid-run:
1. Fan-out: occurrences whose next_reminder_at has come are locked with SKIP LOCKED,
   one Reminder row per person is inserted (a unique constraint on occurrence +
   email + offset makes a second insert a no-op) and next_reminder_at moves on.
2. Send: unsent Reminder rows are locked with SKIP LOCKED, mailed, and marked sent
   in the same transaction; a crash rolls the mark back and the next sweep resends.
Both steps read only what is due (partial indexes), never every occurrence.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from accounts.services import format_time, send_email
from meetings.models import Meeting, Occurrence, Reminder
from meetings.services.joining import guest_link, join_page_url
from notifications.services import PushContent, notify_people, topics

BATCH = 200
SWEEPER_NAME = "meetings: reminders and invitation retries"


def _moments(start: datetime) -> list[tuple[int, datetime]]:
    return [
        (offset, start - timedelta(minutes=offset))
        for offset in settings.MEETINGS_REMINDER_OFFSETS_MINUTES
    ]


def first_reminder_at(*, start: datetime, now: datetime) -> datetime | None:
    """The next reminder moment still ahead; moments already past are skipped
    (the invitation or update that was just sent takes their place)."""
    ahead = [moment for _offset, moment in _moments(start) if moment > now]
    return min(ahead) if ahead else None


def reset_reminders(*, occurrences) -> None:
    """Forget reminders already sent or queued, so a moved sitting gets new ones."""
    Reminder.objects.filter(occurrence__in=occurrences).delete()


def _recipients(occurrence: Occurrence) -> list[tuple[str, object, object]]:
    meeting = occurrence.meeting
    people = [(user.email, user, None) for user in meeting.participants()]
    guests = [
        (guest.email, None, guest)
        for guest in meeting.guests.filter(revoked_at__isnull=True)
    ]
    return people + guests


def _fan_out(now: datetime) -> int:
    with transaction.atomic():
        due = list(
            Occurrence.objects.filter(next_reminder_at__lte=now)
            .select_related("meeting")
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("next_reminder_at")[:BATCH]
        )
        for occurrence in due:
            live = (
                not occurrence.is_cancelled
                and occurrence.start > now
                and occurrence.meeting.status == Meeting.Status.SCHEDULED
                # visits sends its own notices about visit rooms.
                and occurrence.meeting.kind_rule.on_portal
            )
            passed = [o for o, moment in _moments(occurrence.start) if moment <= now]
            if live and passed:
                # Only the latest passed moment: after downtime nobody gets a
                # "tomorrow" reminder ten minutes before the meeting.
                offset = min(passed)
                Reminder.objects.bulk_create(
                    (
                        Reminder(
                            occurrence=occurrence,
                            email=email,
                            offset_minutes=offset,
                            user=user,
                            guest=guest,
                        )
                        for email, user, guest in _recipients(occurrence)
                    ),
                    ignore_conflicts=True,
                )
            occurrence.next_reminder_at = (
                first_reminder_at(start=occurrence.start, now=now) if live else None
            )
        Occurrence.objects.bulk_update(due, ["next_reminder_at"])
    return len(due)


def _send_batch(now: datetime) -> int:
    with transaction.atomic():
        rows = list(
            Reminder.objects.filter(sent_at__isnull=True)
            .select_related("occurrence__meeting", "user", "guest")
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("created_at")[:BATCH]
        )
        sent = 0
        for row in rows:
            occurrence = row.occurrence
            meeting = occurrence.meeting
            if (
                occurrence.is_cancelled
                or meeting.status != Meeting.Status.SCHEDULED
                or occurrence.start <= now
            ):
                # Cancelled or already begun: the reminder is dropped, not sent.
                row.delete()
                continue
            _send_one(row, occurrence, meeting)
            row.sent_at = now
            row.save(update_fields=["sent_at"])
            sent += 1
    return sent if rows else -1


def _send_one(row: Reminder, occurrence: Occurrence, meeting: Meeting) -> None:
    context = {
        "title": meeting.public_title,
        "occurrence": occurrence,
        "time_zone": row.user.time_zone if row.user else meeting.time_zone,
        "join_url": guest_link(row.guest) if row.guest else join_page_url(meeting),
        "offset_minutes": row.offset_minutes,
    }
    subject = send_email("meetings/email/reminder", context, to=[row.email]).subject
    if row.user is not None:
        # The person's devices that asked for meeting reminders; the public title
        # only (confidential meetings have a neutral one).
        notify_people(
            users=[row.user],
            topic=topics.MEETING_REMINDERS,
            dedupe_key=f"meeting-reminder:{row.pk}",
            content=PushContent(
                title=subject,
                body=gettext("It starts %(when)s.")
                % {"when": format_time(occurrence.start, row.user)},
                url=join_page_url(meeting),
                tag=f"meeting-{occurrence.pk}",
            ),
        )


def sweep_reminders(*, now: datetime | None = None) -> int:
    """Fan out and send everything due; returns how many reminders were mailed."""
    now = now or timezone.now()
    while _fan_out(now) == BATCH:
        pass
    total = 0
    while True:
        sent = _send_batch(now)
        if sent < 0:
            return total
        total += sent
