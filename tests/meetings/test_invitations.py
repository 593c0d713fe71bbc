"""Calendar files read back with vobject (an independent parser), queued once."""

import time
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
import vobject
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

from meetings import ics, services
from meetings.models import InvitationEmail, Meeting
from meetings.services.invitations import send_invitation
from meetings.tasks import send_invitation_task
from tests.concurrency import run_at_once
from tests.meetings.conftest import NOW

NEW_YORK = ZoneInfo("America/New_York")
# Thursday 22 October 2026, 09:00 in New York; the clocks go back on 1 November.
SERIES_START = datetime(2026, 10, 22, 13, 0, tzinfo=UTC)


def parse(calendar_text: str):
    return vobject.readOne(calendar_text)


def attachment(message) -> str:
    part = message.attachments[0]
    assert part.get_filename() == "invite.ics"
    return part.get_payload(decode=True).decode()


@pytest.fixture
def weekly(make_meeting, clinician, specialist, django_capture_on_commit_callbacks):
    with time_machine.travel(NOW, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            return make_meeting(
                title="Department meeting",
                agenda="Budget, rota",
                start=SERIES_START,
                recurrence_rule="FREQ=WEEKLY;COUNT=4",
                invitees=[clinician, specialist],
                guest_emails=["guest@outside.example"],
            )


def test_series_invitation_expands_to_the_same_local_time_across_dst(weekly):
    assert sorted(m.to[0] for m in mail.outbox) == [
        "clinician@example.org",
        "guest@outside.example",
        "specialist@example.org",
    ]
    calendar = parse(attachment(mail.outbox[0]))
    assert calendar.method.value == "REQUEST"
    assert calendar.vtimezone.tzid.value == "America/New_York"
    event = calendar.vevent
    assert event.uid.value == f"{weekly.uuid}@telecampus"
    assert event.sequence.value == "0"
    assert event.summary.value == "Department meeting"
    starts = list(event.getrruleset())
    local = [s.astimezone(NEW_YORK) for s in starts]
    assert [s.strftime("%Y-%m-%d %H:%M") for s in local] == [
        "2026-10-22 09:00",
        "2026-10-29 09:00",
        "2026-11-05 09:00",
        "2026-11-12 09:00",
    ]
    # The UTC hour moves by one when daylight saving time ends.
    assert [s.astimezone(UTC).hour for s in starts] == [13, 13, 14, 14]
    assert starts == [o.start for o in weekly.occurrences.order_by("start")]
    assert event.organizer.value == "mailto:meetingadmin@example.org"
    assert event.dtend.value - event.dtstart.value == weekly.duration


def test_each_person_gets_their_own_join_link_and_no_token(weekly):
    for message in mail.outbox:
        event = parse(attachment(message)).vevent
        assert [a.value for a in event.attendee_list] == [f"mailto:{message.to[0]}"]
        url = event.url.value
        if message.to[0] == "guest@outside.example":
            assert "/meetings/guest/" in url
        else:
            assert url == f"https://portal.example.org/meetings/{weekly.uuid}/join/"
        assert url in message.body
        assert "jwt" not in message.body and "jwt" not in attachment(message)


def test_moving_one_date_sends_a_recurrence_id_with_a_higher_sequence(
    weekly, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    third = weekly.occurrences.order_by("start")[2]
    with django_capture_on_commit_callbacks(execute=True):
        services.move_occurrence(
            occurrence=third,
            start=datetime(2026, 11, 6, 15, 0, tzinfo=UTC),
            duration_minutes=30,
        )
    event = parse(attachment(mail.outbox[0])).vevent
    assert event.uid.value == f"{weekly.uuid}@telecampus"
    assert int(event.sequence.value) == 1
    assert event.recurrence_id.value == datetime(2026, 11, 5, 9, 0, tzinfo=NEW_YORK)
    assert event.dtstart.value.astimezone(UTC) == datetime(
        2026, 11, 6, 15, 0, tzinfo=UTC
    )
    # The full series now carries the override as a second VEVENT.
    full = parse(
        ics.invitation(
            meeting=weekly,
            method="REQUEST",
            attendees=[],
            join_url="https://portal.example.org/",
        ).decode()
    )
    assert len(full.vevent_list) == 2


def test_cancelling_one_date_sends_cancel_and_adds_exdate(
    weekly, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    second = weekly.occurrences.order_by("start")[1]
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_occurrence(occurrence=second)
    calendar = parse(attachment(mail.outbox[0]))
    assert calendar.method.value == "CANCEL"
    assert calendar.vevent.status.value == "CANCELLED"
    assert calendar.vevent.recurrence_id.value.astimezone(UTC) == second.original_start
    weekly.refresh_from_db()
    series = parse(
        ics.invitation(
            meeting=weekly,
            method="REQUEST",
            attendees=[],
            join_url="https://x.example/",
        ).decode()
    )
    assert series.vevent.exdate.value[0].astimezone(UTC) == second.original_start
    assert len(list(series.vevent.getrruleset())) == 3
    assert int(series.vevent.sequence.value) == 1


def test_cancelling_the_series_sends_cancel_for_the_uid(
    weekly, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_meeting(meeting=weekly)
    assert len(mail.outbox) == 3
    calendar = parse(attachment(mail.outbox[0]))
    assert calendar.method.value == "CANCEL"
    assert calendar.vevent.uid.value == f"{weekly.uuid}@telecampus"
    assert not hasattr(calendar.vevent, "recurrence_id")
    assert "Cancelled" in mail.outbox[0].subject


def test_titles_with_html_and_line_breaks_are_escaped(
    make_meeting, clinician, django_capture_on_commit_callbacks
):
    agenda = "1. <b>Budget</b>; rota, leave\r\n2. Any other business"
    with time_machine.travel(NOW, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            meeting = make_meeting(
                title="<script>alert(1)</script> & review",
                agenda=agenda,
                invitees=[clinician],
            )
    text = attachment(mail.outbox[0])
    event = parse(text).vevent
    assert event.summary.value == "<script>alert(1)</script> & review"
    assert event.description.value.startswith("1. <b>Budget</b>; rota, leave\n2. Any")
    # RFC 5545 TEXT escaping keeps the agenda's line break and separators inside
    # one property instead of starting a new, forged one.
    assert "\r\n2. Any" not in text
    assert "rota\\, leave" in text
    html = mail.outbox[0].alternatives[0][0]
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert meeting.title.startswith("<script>")


def test_care_coordination_files_have_a_generic_title(
    make_meeting, specialist, django_capture_on_commit_callbacks
):
    with time_machine.travel(NOW, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            make_meeting(
                kind=Meeting.Kind.CARE_COORDINATION,
                title="Ms Rivera, wound care plan",
                agenda="Discuss Ms Rivera",
                invitees=[specialist],
            )
    text = attachment(mail.outbox[0])
    assert "Rivera" not in text and "Rivera" not in mail.outbox[0].body
    assert parse(text).vevent.summary.value == "Care coordination meeting"


def test_an_invitation_is_queued_once_when_its_task_runs_twice(
    make_meeting, clinician, django_capture_on_commit_callbacks
):
    # Delivery and its retries are the mail outbox's (tests/ops/test_mail_outbox.py);
    # the row only keeps a duplicate or retried task from queueing it again.
    with time_machine.travel(NOW, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            make_meeting(invitees=[clinician])
    row = InvitationEmail.objects.get()
    assert row.sent_at is not None
    assert send_invitation_task(str(row.uuid)) == "queued"
    assert [m.to for m in mail.outbox] == [[clinician.email]]


class SlowMailOutbox(EmailBackend):
    """Holds each store a little, so two workers really overlap."""

    def send_messages(self, messages):
        time.sleep(0.05)
        return super().send_messages(messages)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_queue_each_invitation_exactly_once(
    settings, make_meeting, clinician, specialist
):
    with time_machine.travel(NOW, tick=False):
        meeting = make_meeting(invitees=[clinician, specialist])
    rows = list(InvitationEmail.objects.filter(meeting=meeting))
    InvitationEmail.objects.update(sent_at=None)
    mail.outbox.clear()
    settings.EMAIL_BACKEND = "tests.meetings.test_invitations.SlowMailOutbox"
    run_at_once(
        [
            lambda row=row: send_invitation(invitation=row)
            for row in rows
            for _worker in range(2)
        ]
    )
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        r.recipient_email for r in rows
    )
    assert not InvitationEmail.objects.filter(sent_at__isnull=True).exists()
