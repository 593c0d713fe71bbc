"""Booking under contention: 50 threads race for one slot, against uncontended bookings.

Runs in-process against PostgreSQL (the row locks and the partial unique constraint
are what is measured; SQLite would just serialise). It creates a scratch database
`test_bench_visits`, migrates it, measures, and drops it again.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_visits \
        .venv/bin/python bench/bench_visits_booking.py

Prints `RATIO visits_booking_p95_contended_vs_uncontended: <value>` with the raw
figures; exits non-zero if it cannot measure or if a round books the slot twice.
"""

import os
import statistics
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_visits")
os.environ.setdefault("EMAIL_URL", "locmem://")
os.environ.setdefault("LOG_LEVEL", "WARNING")

# BENCH_QUICK=1 (CI): a small race, only to prove the script still runs.
QUICK = os.environ.get("BENCH_QUICK") == "1"
THREADS = 5 if QUICK else 50
ROUNDS = 1 if QUICK else 5
UNCONTENDED = 5 if QUICK else 50


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18]


def main() -> int:
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection, connections

    if not settings.USING_POSTGRES:
        print(
            "bench_visits_booking needs PostgreSQL: set DATABASE_URL.", file=sys.stderr
        )
        return 2
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        return measure()
    finally:
        connections.close_all()
        connection.creation.destroy_test_db(old_name, verbosity=0)


def measure() -> int:
    from datetime import time as clock

    from django.db import connection

    from accounts.roles import Role
    from accounts.services import create_user
    from visits.models import ClinicianProfile, Visit, VisitType, WeeklyHours
    from visits.services.booking import BookingError, book_visit
    from visits.services.catalogue import ensure_standard_catalogue
    from visits.services.slots import free_slots

    ensure_standard_catalogue()
    kind = VisitType.objects.get(code="wellness")

    def person(name, roles):
        return create_user(
            username=name,
            email=f"{name}@bench.example",
            password=None,
            full_name=name,
            roles=roles,
        )

    clinician = person("bench-clinician", [Role.CLINICIAN])
    profile = ClinicianProfile.objects.create(
        clinician=clinician, clinic_name="Bench", time_zone="America/Chicago"
    )
    profile.visit_types.add(kind)
    WeeklyHours.objects.bulk_create(
        WeeklyHours(
            clinician=clinician, weekday=d, start_time=clock(0), end_time=clock(23)
        )
        for d in range(7)
    )
    patients = [
        person(f"bench-patient-{n}", [Role.PATIENT])
        for n in range(THREADS + UNCONTENDED)
    ]
    start_day = datetime.now(UTC).date() + timedelta(days=2)
    slots = [
        s.start
        for s in free_slots(
            visit_type=kind, clinicians=[clinician], start_date=start_day, days=3
        )
    ]

    uncontended = []
    for n in range(UNCONTENDED):
        began = time.perf_counter()
        book_visit(
            patient=patients[THREADS + n],
            clinician=clinician,
            visit_type=kind,
            start=slots[n],
        )
        uncontended.append(time.perf_counter() - began)

    contended = []
    lock = threading.Lock()
    for round_number in range(ROUNDS):
        slot = slots[UNCONTENDED + round_number]
        barrier = threading.Barrier(THREADS)
        wins = []

        def attempt(patient, slot=slot, barrier=barrier, wins=wins):
            try:
                # Connected before the start: a web worker keeps its connection, so
                # the figure is the booking, not 50 PostgreSQL back-ends forking.
                connection.ensure_connection()
                barrier.wait()
                began = time.perf_counter()
                try:
                    book_visit(
                        patient=patient,
                        clinician=clinician,
                        visit_type=kind,
                        start=slot,
                    )
                    outcome = "ok"
                except BookingError:
                    outcome = "taken"
                elapsed = time.perf_counter() - began
                with lock:
                    contended.append(elapsed)
                    if outcome == "ok":
                        wins.append(patient.pk)
            finally:
                connection.close()

        threads = [
            threading.Thread(target=attempt, args=(p,)) for p in patients[:THREADS]
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        booked = Visit.objects.filter(clinician=clinician, start=slot).count()
        print(f"round {round_number + 1}: {len(wins)} succeeded, {booked} visit stored")
        if len(wins) != 1 or booked != 1:
            print("FAILED: the slot was not booked exactly once.", file=sys.stderr)
            return 1

    base, loaded = p95(uncontended), p95(contended)
    print(
        f"uncontended booking: n={len(uncontended)} "
        f"median={statistics.median(uncontended) * 1000:.1f} ms "
        f"p95={base * 1000:.1f} ms"
    )
    print(
        f"contended ({THREADS} threads x {ROUNDS} rounds, one slot each): "
        f"n={len(contended)} median={statistics.median(contended) * 1000:.1f} ms "
        f"p95={loaded * 1000:.1f} ms"
    )
    print(f"RATIO visits_booking_p95_contended_vs_uncontended: {loaded / base:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
