from datetime import UTC, date, datetime, time

import pytest

from tests.visits.factories import visit_type
from visits.errors import VisitsError
from visits.models import ScheduleException, VisitType, WeeklyHours
from visits.services.schedule import (
    add_schedule_exception,
    publish_weekly_hours,
    set_clinic,
)
from visits.services.slots import free_slots

pytestmark = pytest.mark.django_db


def test_published_hours_become_slots_in_the_clinic_zone(clinician):
    kind = visit_type("medication-refill")  # 15 minutes
    set_clinic(
        clinician=clinician,
        clinic_name="Harbour Clinic",
        time_zone="Europe/Berlin",
        visit_types=list(VisitType.objects.all()),
    )
    publish_weekly_hours(
        clinician=clinician, weekday=2, start_time=time(9), end_time=time(9, 30)
    )
    with pytest.raises(VisitsError, match="overlap"):
        publish_weekly_hours(
            clinician=clinician, weekday=2, start_time=time(9, 15), end_time=time(10)
        )
    slots = free_slots(
        visit_type=kind,
        clinicians=[clinician],
        start_date=date(2026, 7, 1),
        days=1,
        now=datetime(2026, 1, 1, tzinfo=UTC),
    )
    # 09:00 in Berlin in July is 07:00 UTC (CEST).
    assert [s.start for s in slots] == [
        datetime(2026, 7, 1, 7, 0, tzinfo=UTC),
        datetime(2026, 7, 1, 7, 15, tzinfo=UTC),
    ]


def test_exceptions_need_consistent_times(clinician):
    with pytest.raises(VisitsError, match="both a start and an end"):
        add_schedule_exception(
            clinician=clinician, day=date(2026, 5, 1), kind="extra", start_time=time(9)
        )
    with pytest.raises(VisitsError, match="need a start and an end"):
        add_schedule_exception(clinician=clinician, day=date(2026, 5, 1), kind="extra")
    day_off = add_schedule_exception(
        clinician=clinician, day=date(2026, 5, 1), kind="unavailable"
    )
    assert day_off.start_time is None


def test_schedule_page_publishes_and_withdraws_hours(client, clinician, patient):
    client.force_login(clinician)
    response = client.post(
        "/visits/schedule/",
        {"add_hours": "1", "weekday": "0", "start_time": "08:00", "end_time": "12:00"},
    )
    assert response.status_code == 302
    block = WeeklyHours.objects.get(clinician=clinician)
    assert (block.start_time, block.end_time) == (time(8), time(12))
    bad = client.post(
        "/visits/schedule/",
        {"add_hours": "1", "weekday": "0", "start_time": "13:00", "end_time": "12:00"},
    )
    assert bad.status_code == 400
    assert "end after they start" in bad.content.decode()
    client.post(
        "/visits/schedule/",
        {"add_exception": "1", "day": "2026-12-24", "kind": "unavailable"},
    )
    assert ScheduleException.objects.filter(clinician=clinician).count() == 1
    client.post("/visits/schedule/", {"withdraw": str(block.pk)})
    assert not WeeklyHours.objects.filter(clinician=clinician).exists()
    client.force_login(patient)
    assert client.get("/visits/schedule/").status_code == 404
