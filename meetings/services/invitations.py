"""Invitations: one outbox row per person and change, sent by a task with retries.

Called by the scheduling services (queue_invitations) and by the tasks
(send_invitation); the reminder sweeper re-sends rows a failing mail server left
unsent, so nothing is lost.
"""

from datetime import timedelta

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django_q.tasks import async_task

from accounts.local_time import format_time
from accounts.models import User
from meetings import ics
from meetings.models import InvitationEmail, Meeting, Occurrence

MAX_ATTEMPTS = 10
RETRY_AFTER = timedelta(minutes=5)


def recipients(meeting: Meeting) -> list[tuple[str, str, object]]:
    """(email, name, guest or None) for everyone invited except the organizer."""
    people = [
        (user.email, user.display_name, None)
        for user in meeting.participants().exclude(pk=meeting.organizer_id)
    ]
    guests = [
        (guest.email, guest.display_name, guest)
        for guest in meeting.guests.filter(revoked_at__isnull=True)
    ]
    return people + guests


def queue_invitations(
    *, meeting: Meeting, method: str, occurrence: Occurrence | None = None
) -> list[InvitationEmail]:
    rows = InvitationEmail.objects.bulk_create(
        InvitationEmail(
            meeting=meeting,
            occurrence=occurrence,
            method=method,
            recipient_email=email,
            recipient_name=name,
            guest=guest,
        )
        for email, name, guest in recipients(meeting)
    )
    for row in rows:
        transaction.on_commit(
            lambda pk=str(row.uuid): async_task(
                "meetings.tasks.send_invitation_task", pk
            )
        )
    return rows


def join_url_for(row: InvitationEmail) -> str:
    from meetings.services.joining import guest_link, join_page_url

    return guest_link(row.guest) if row.guest else join_page_url(row.meeting)


def recipient_zone(row: InvitationEmail) -> str:
    """The recipient's own zone; guests (no account) get the meeting's."""
    if row.guest_id is None:
        zone = (
            User.objects.filter(email__iexact=row.recipient_email)
            .values_list("time_zone", flat=True)
            .first()
        )
        if zone:
            return zone
    return row.meeting.time_zone


def build_message(row: InvitationEmail) -> EmailMultiAlternatives:
    meeting = row.meeting
    url = join_url_for(row)
    zone = recipient_zone(row)
    when = row.occurrence.start if row.occurrence else meeting.start
    calendar = ics.invitation(
        meeting=meeting,
        method=row.method,
        attendees=[ics.Attendee(row.recipient_email, row.recipient_name)],
        join_url=url,
        occurrence=row.occurrence,
    )
    name = (
        "cancellation" if row.method == InvitationEmail.Method.CANCEL else "invitation"
    )
    context = {
        "meeting": meeting,
        "occurrence": row.occurrence,
        "title": meeting.public_title,
        "agenda": meeting.public_agenda,
        "recipient_name": row.recipient_name,
        "join_url": url,
        "zone": zone,
        "when": format_time(when, zone),
        "meeting_zone_when": format_time(when, meeting.time_zone),
    }
    subject = " ".join(
        render_to_string(f"meetings/email/{name}_subject.txt", context).split()
    )
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"meetings/email/{name}_body.txt", context),
        to=[row.recipient_email],
    )
    message.attach_alternative(
        render_to_string(f"meetings/email/{name}_body.html", context), "text/html"
    )
    message.attach(
        "invite.ics",
        calendar,
        f"text/calendar; charset=utf-8; method={row.method}",
    )
    return message


def send_invitation(*, invitation: InvitationEmail) -> InvitationEmail:
    """Send one outbox row once; a failure is recorded, then raised for a retry.

    The row lock keeps two workers from sending the same row twice.
    """
    failure = None
    with transaction.atomic():
        row = InvitationEmail.objects.select_for_update().get(pk=invitation.pk)
        if row.sent_at is not None:
            return row
        row.attempts += 1
        try:
            message = build_message(row)
        except (OverflowError, ValueError) as error:
            # Stored data no calendar can carry (a year-9999 date from before the
            # entry window): retrying cannot help, so give up on this row now.
            row.attempts = MAX_ATTEMPTS
            row.last_error = f"Cannot build the invitation: {type(error).__name__}"
            row.save(update_fields=["attempts", "last_error"])
            return row
        try:
            message.send()
            row.sent_at = timezone.now()
        except Exception as error:  # noqa: BLE001 - any mail failure means "try later"
            failure = error
            row.last_error = f"{type(error).__name__}: {error}"[:300]
        row.save(update_fields=["attempts", "sent_at", "last_error"])
    if failure is not None:
        raise failure
    return row


def retry_unsent_invitations(*, now=None) -> int:
    """Re-queue rows a failing mail server left behind (called by the sweeper)."""
    now = now or timezone.now()
    stale = InvitationEmail.objects.filter(
        sent_at__isnull=True,
        attempts__lt=MAX_ATTEMPTS,
        created_at__lte=now - RETRY_AFTER,
    ).values_list("uuid", flat=True)[:500]
    count = 0
    for pk in stale:
        async_task("meetings.tasks.send_invitation_task", str(pk))
        count += 1
    return count
