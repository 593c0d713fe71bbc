import time
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

from accounts.roles import Role
from meetings import services
from meetings.models import Occurrence, Reminder
from meetings.services.reminders import SWEEPER_NAME, sweep_reminders
from tests.concurrency import run_at_once
from tests.meetings.conftest import NOW

START = datetime(2026, 6, 12, 15, 0, tzinfo=UTC)


def reminders_to(address: str) -> list:
    return [m for m in mail.outbox if m.to == [address]]


@pytest.fixture
def meeting(make_meeting, clinician, specialist):
    with time_machine.travel(NOW, tick=False):
        return make_meeting(
            start=START,
            invitees=[clinician, specialist],
            guest_emails=["guest@outside.example"],
        )


def sweep_at(moment: datetime) -> int:
    with time_machine.travel(moment, tick=False):
        return sweep_reminders()


def test_each_offset_is_sent_once_to_every_person(meeting, specialist):
    assert sweep_at(START - timedelta(hours=25)) == 0
    assert sweep_at(START - timedelta(hours=23, minutes=59)) == 4
    assert sweep_at(START - timedelta(hours=23, minutes=58)) == 0
    assert sweep_at(START - timedelta(minutes=14)) == 4
    assert sweep_at(START - timedelta(minutes=10)) == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        2 * ["clinician@example.org", "specialist@example.org"]
        + 2 * ["guest@outside.example", "meetingadmin@example.org"]
    )
    # The specialist's reminder gives the time in London, where they live.
    assert (
        "Fri 12 Jun 2026, 16:00 (Europe/London)"
        in reminders_to(specialist.email)[0].body
    )
    guest_body = reminders_to("guest@outside.example")[0].body
    assert "/meetings/guest/" in guest_body


def test_after_downtime_only_the_latest_reminder_goes_out(meeting):
    assert sweep_at(START - timedelta(minutes=5)) == 4
    assert set(Reminder.objects.values_list("offset_minutes", flat=True)) == {15}
    assert sweep_at(START - timedelta(minutes=4)) == 0


def test_moving_a_date_resets_its_reminders(meeting):
    assert sweep_at(START - timedelta(hours=23)) == 4
    occurrence = meeting.occurrences.get()
    with time_machine.travel(START - timedelta(hours=22), tick=False):
        services.move_occurrence(
            occurrence=occurrence,
            start=START + timedelta(days=2),
            duration_minutes=60,
        )
    assert Reminder.objects.count() == 0
    assert sweep_at(START + timedelta(days=1, hours=1)) == 4


def test_cancelling_stops_reminders(meeting):
    occurrence = meeting.occurrences.get()
    services.cancel_occurrence(occurrence=occurrence)
    assert sweep_at(START - timedelta(hours=23)) == 0
    assert sweep_at(START - timedelta(minutes=10)) == 0
    assert mail.outbox == []


def test_cancelling_after_fan_out_drops_the_queued_ones(meeting):
    occurrence = meeting.occurrences.get()
    Reminder.objects.create(
        occurrence=occurrence, email="late@example.org", offset_minutes=15
    )
    services.cancel_meeting(meeting=meeting)
    assert sweep_at(START - timedelta(minutes=10)) == 0
    assert Reminder.objects.count() == 0


class CrashingMailServer(EmailBackend):
    def send_messages(self, messages):
        raise ConnectionResetError("worker lost its connection")


def test_a_crash_mid_run_leaves_nothing_marked_and_the_next_run_sends(
    settings, meeting
):
    settings.EMAIL_BACKEND = "tests.meetings.test_reminders.CrashingMailServer"
    with pytest.raises(ConnectionResetError):
        sweep_at(START - timedelta(hours=23))
    assert Reminder.objects.filter(sent_at__isnull=False).count() == 0
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert sweep_at(START - timedelta(hours=22)) == 4
    assert sweep_at(START - timedelta(hours=21)) == 0


def test_one_schedule_exists_for_the_sweeper(db):
    from django_q.models import Schedule

    from ops.services import install_schedules

    install_schedules()
    install_schedules()
    schedule = Schedule.objects.get(name=SWEEPER_NAME)
    assert schedule.func == "meetings.tasks.sweep_task"
    assert Schedule.objects.filter(func="meetings.tasks.sweep_task").count() == 1


def test_the_sweep_task_runs_the_sweep(meeting):
    from meetings.tasks import sweep_task

    with time_machine.travel(START - timedelta(minutes=10), tick=False):
        assert sweep_task().startswith("4 reminders sent")


class SlowMailServer(EmailBackend):
    """Holds each send a little, so two workers really overlap."""

    def send_messages(self, messages):
        time.sleep(0.02)
        return super().send_messages(messages)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_send_each_reminder_exactly_once(settings, make_meeting):
    from tests.conftest import make_person

    settings.EMAIL_BACKEND = "tests.meetings.test_reminders.SlowMailServer"
    people = [make_person(f"staff{i}", [Role.CLINICIAN]) for i in range(15)]
    with time_machine.travel(NOW, tick=False):
        for hour in range(4):
            make_meeting(
                title=f"Meeting {hour}",
                start=START + timedelta(minutes=hour),
                invitees=people,
                send_invitations=False,
            )
    mail.outbox.clear()
    run_at_once(
        [lambda: sweep_reminders(now=START - timedelta(minutes=10)) for _ in range(2)]
    )
    sent = Counter((m.to[0], m.subject) for m in mail.outbox)
    # 4 meetings x (15 invitees + organizer), each exactly once.
    assert len(sent) == 4 * 16
    assert set(sent.values()) == {1}
    assert Reminder.objects.filter(sent_at__isnull=True).count() == 0
    assert Occurrence.objects.filter(next_reminder_at__isnull=False).count() == 0
