from datetime import UTC, date, datetime, time, timedelta

import pytest

from accounts.roles import Role
from tests.conftest import make_person
from tests.visits.factories import open_clinic, visit_type
from visits.models import ScheduleException
from visits.services.slots import NonexistentLocalTime, free_slots, local_to_utc

pytestmark = pytest.mark.django_db

EARLY = datetime(2026, 1, 1, tzinfo=UTC)


def _starts(clinician, kind, day, days=1):
    return [
        slot.start
        for slot in free_slots(
            visit_type=kind,
            clinicians=[clinician],
            start_date=day,
            days=days,
            now=EARLY,
        )
    ]


def test_slots_keep_wall_clock_time_across_spring_forward(clinician):
    open_clinic(clinician, hours=(time(9, 0), time(10, 0)), zone="America/Chicago")
    kind = visit_type("wellness")  # 30 minutes
    before = _starts(clinician, kind, date(2026, 3, 7))  # Saturday, CST (UTC-6)
    after = _starts(clinician, kind, date(2026, 3, 9))  # Monday, CDT (UTC-5)
    assert before == [
        datetime(2026, 3, 7, 15, 0, tzinfo=UTC),
        datetime(2026, 3, 7, 15, 30, tzinfo=UTC),
    ]
    assert after == [
        datetime(2026, 3, 9, 14, 0, tzinfo=UTC),
        datetime(2026, 3, 9, 14, 30, tzinfo=UTC),
    ]


def test_gap_times_are_skipped_and_repeated_hour_offered_once(clinician):
    open_clinic(clinician, hours=(time(1, 0), time(4, 0)), zone="America/Chicago")
    kind = visit_type("wellness")
    spring = _starts(clinician, kind, date(2026, 3, 8))
    # 02:00 and 02:30 do not exist on 8 March 2026 in Chicago.
    assert spring == [
        datetime(2026, 3, 8, 7, 0, tzinfo=UTC),
        datetime(2026, 3, 8, 7, 30, tzinfo=UTC),
        datetime(2026, 3, 8, 8, 0, tzinfo=UTC),  # 03:00 CDT
        datetime(2026, 3, 8, 8, 30, tzinfo=UTC),
    ]
    autumn = _starts(clinician, kind, date(2026, 11, 1))
    assert len(autumn) == 6
    assert len(set(autumn)) == 6
    gaps = {b - a for a, b in zip(autumn, autumn[1:], strict=False)}
    assert min(gaps) >= timedelta(minutes=kind.duration_minutes)


def test_local_time_in_gap_is_refused_with_a_clear_message():
    with pytest.raises(NonexistentLocalTime, match="does not exist in America/Chicago"):
        local_to_utc(date(2026, 3, 8), time(2, 30), "America/Chicago")


def test_exceptions_remove_days_and_add_hours(clinician):
    open_clinic(clinician, hours=(time(9, 0), time(10, 0)), weekdays=[0])
    kind = visit_type("wellness")
    ScheduleException.objects.create(
        clinician=clinician, date=date(2026, 3, 9), kind="unavailable"
    )
    ScheduleException.objects.create(
        clinician=clinician,
        date=date(2026, 3, 10),
        kind="extra",
        start_time=time(18, 0),
        end_time=time(18, 30),
    )
    assert _starts(clinician, kind, date(2026, 3, 9), days=2) == [
        datetime(2026, 3, 10, 23, 0, tzinfo=UTC)
    ]


def test_free_slot_search_runs_a_constant_number_of_queries(
    django_assert_num_queries,
):
    kind = visit_type("wellness")
    clinicians = [make_person(f"doc{n}", [Role.CLINICIAN]) for n in range(50)]
    for n, person in enumerate(clinicians):
        open_clinic(
            person,
            hours=(time(9, 0), time(12, 0)),
            zone=["America/Chicago", "Europe/Berlin", "Asia/Tokyo"][n % 3],
        )
    with django_assert_num_queries(4):
        slots = free_slots(
            visit_type=kind, start_date=date(2026, 3, 1), days=30, now=EARLY
        )
    assert len(slots) == 50 * 30 * 6
