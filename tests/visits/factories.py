"""Builders for visits tests: clinics with weekly hours, booked visits, notes."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from visits.models import ClinicianProfile, VisitType, WeeklyHours
from visits.services.booking import book_visit
from visits.services.catalogue import ensure_standard_catalogue
from visits.services.slots import free_slots


def visit_type(code: str = "wellness") -> VisitType:
    ensure_standard_catalogue()
    return VisitType.objects.get(code=code)


def open_clinic(
    clinician,
    *,
    zone: str = "America/Chicago",
    hours: tuple[time, time] = (time(0, 0), time(23, 30)),
    weekdays=range(7),
) -> ClinicianProfile:
    """Give a clinician every visit type and the same hours every chosen weekday."""
    ensure_standard_catalogue()
    profile, _ = ClinicianProfile.objects.get_or_create(
        clinician=clinician,
        defaults={"clinic_name": "Main St Clinic", "time_zone": zone},
    )
    profile.visit_types.set(VisitType.objects.all())
    WeeklyHours.objects.bulk_create(
        WeeklyHours(
            clinician=clinician, weekday=day, start_time=hours[0], end_time=hours[1]
        )
        for day in weekdays
    )
    return profile


def first_free_start(clinician, kind: VisitType, *, after: datetime | None = None):
    after = after or timezone.now() + timedelta(days=1)
    slots = free_slots(
        visit_type=kind, clinicians=[clinician], start_date=after.date(), days=3
    )
    return next(slot.start for slot in slots if slot.start >= after)


def booked_visit(patient, clinician, *, code: str = "wellness", after=None):
    kind = visit_type(code)
    if not ClinicianProfile.objects.filter(clinician=clinician).exists():
        open_clinic(clinician)
    start = first_free_start(clinician, kind, after=after)
    return book_visit(
        patient=patient, clinician=clinician, visit_type=kind, start=start
    )


def choose_visit_type(client, code: str) -> None:
    """The first booking step: post the kind of visit (kept in the session)."""
    response = client.post("/visits/book/", {"visit_type": str(visit_type(code).uuid)})
    assert response.status_code == 302
