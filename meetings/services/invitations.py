"""Invitations: one row per person and change, handed to the mail outbox once.

Called by the scheduling services (queue_invitations) and by the tasks
(send_invitation). Delivery and its retries belong to the one mail outbox
(ops.outbox, docs/decisions/0016); these rows only make sure each invitation is
queued exactly once.
"""

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone
from django_q.tasks import async_task

from accounts.models import User
from accounts.services import calendar_attachment, format_time, render_email
from meetings import ics
from meetings.models import InvitationEmail, Meeting, Occurrence
from meetings.services.joining import guest_link, join_page_url


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
    return render_email(
        f"meetings/email/{name}",
        context,
        to=[row.recipient_email],
        attachments=[
            calendar_attachment(filename="invite.ics", ical=calendar, method=row.method)
        ],
    )


def send_invitation(*, invitation: InvitationEmail) -> InvitationEmail:
    """Hand one row's message to the mail outbox, once.

    message.send() only stores the message in the outbox (ops.outbox delivers it
    and retries a failing mail server), in this transaction: `sent_at` and the
    stored message commit together, and the row lock keeps two workers from
    queueing the same row twice.
    """
    with transaction.atomic():
        row = InvitationEmail.objects.select_for_update().get(pk=invitation.pk)
        if row.sent_at is not None:
            return row
        try:
            message = build_message(row)
        except (OverflowError, ValueError) as error:
            # Stored data no calendar can carry (a year-9999 date from before the
            # entry window): trying again cannot help, so say why and stop.
            row.last_error = f"Cannot build the invitation: {type(error).__name__}"
            row.save(update_fields=["last_error"])
            return row
        message.send()
        row.sent_at = timezone.now()
        row.save(update_fields=["sent_at"])
    return row
