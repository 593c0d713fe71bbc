"""Reminder sweep cost: 100,000 scheduled occurrences against 1,000, same run.

The sweep must cost what is due, not what exists. The script builds a throwaway
database (SQLite in a temp dir, or BENCH_DATABASE_URL), schedules meetings through
the real service, keeps the same 20 occurrences due, and times the sweep first with
1,000 occurrences in the table and then with 100,000.
Prints `RATIO meetings_reminder_sweep_100k_vs_1k: <t100k / t1k>` (target <= 1.5).
"""

import os
import statistics
import sys
import time
from datetime import timedelta

from in_process import start_django

TMP = start_django("bench-meetings-")

from django.core import mail  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.roles import Role  # noqa: E402
from accounts.services import create_user  # noqa: E402
from meetings.models import Occurrence, Reminder  # noqa: E402
from meetings.services import schedule_meeting, sweep_reminders  # noqa: E402

# BENCH_QUICK=1 (CI): 1,000 against 2,000 and two runs, only to prove it still runs.
QUICK = os.environ.get("BENCH_QUICK") == "1"
PER_SERIES = 100
DUE = 20
RUNS = 2 if QUICK else 15
LARGE = 2_000 if QUICK else 100_000


def add_series(organizer, invitees, count: int, first_start) -> None:
    for index in range(count):
        schedule_meeting(
            organizer=organizer,
            kind="administrative",
            title=f"Bench series {index}",
            start=first_start + timedelta(minutes=index),
            duration_minutes=30,
            time_zone="UTC",
            recurrence_rule=f"FREQ=DAILY;COUNT={PER_SERIES}",
            invitees=invitees,
            send_invitations=False,
        )


def time_sweep(now) -> float:
    samples = []
    for _ in range(RUNS):
        Reminder.objects.all().delete()
        due = Occurrence.objects.filter(meeting__title__startswith="Bench due")
        due.update(next_reminder_at=now - timedelta(minutes=1))
        mail.outbox = []
        started = time.perf_counter()
        sent = sweep_reminders(now=now)
        samples.append(time.perf_counter() - started)
        if sent != DUE * 3:
            raise SystemExit(f"expected {DUE * 3} reminders, sent {sent}")
    # The minimum is the cost without interference from other processes on a
    # shared machine; the median is printed too.
    return min(samples), statistics.median(samples)


def main() -> int:
    call_command("migrate", verbosity=0)
    organizer = create_user(
        username="bench-organizer",
        email="o@bench.example",
        password=None,
        full_name="Organizer",
        roles=[Role.MEETING_ADMINISTRATOR],
    )
    invitees = [
        create_user(
            username=f"bench-{i}",
            email=f"p{i}@bench.example",
            password=None,
            full_name=f"Person {i}",
            roles=[Role.CLINICIAN],
        )
        for i in range(2)
    ]
    now = timezone.now()
    for index in range(DUE):
        schedule_meeting(
            organizer=organizer,
            kind="administrative",
            title=f"Bench due {index}",
            start=now + timedelta(minutes=10),
            duration_minutes=30,
            time_zone="UTC",
            invitees=invitees,
            send_invitations=False,
        )
    far = now + timedelta(days=3)
    add_series(organizer, invitees, 1_000 // PER_SERIES, far)
    small = Occurrence.objects.count()
    time_sweep(now)  # warm-up: templates, query plans
    t_small, m_small = time_sweep(now)
    extra = (LARGE - 1_000) // PER_SERIES
    add_series(organizer, invitees, extra, far + timedelta(hours=1))
    large = Occurrence.objects.count()
    t_large, m_large = time_sweep(now)
    for count, best, median in ((small, t_small, m_small), (large, t_large, m_large)):
        print(
            f"occurrences {count}: sweep best {best * 1000:.2f} ms, "
            f"median {median * 1000:.2f} ms ({RUNS} runs, {DUE} due, {DUE * 3} mails)"
        )
    label = f"{LARGE // 1000}k"
    print(f"RATIO meetings_reminder_sweep_{label}_vs_1k: {t_large / t_small:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
