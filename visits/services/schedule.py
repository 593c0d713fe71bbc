"""Clinicians publish their weekly hours and exceptions, in their clinic's zone.

Called by the clinician's schedule page and demo.py. Slots are computed from these
rows by services.slots; booked visits are never moved by a change here.
"""

from datetime import date, time

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from visits.errors import VisitsError
from visits.models import ClinicianProfile, ScheduleException, VisitType, WeeklyHours


class ScheduleError(VisitsError):
    """Hours that cannot be published as given."""


@transaction.atomic
def set_clinic(
    *, clinician: User, clinic_name: str, time_zone: str, visit_types: list[VisitType]
) -> ClinicianProfile:
    profile, _created = ClinicianProfile.objects.update_or_create(
        clinician=clinician,
        defaults={"clinic_name": clinic_name, "time_zone": time_zone},
    )
    profile.full_clean()
    profile.visit_types.set(visit_types)
    return profile


@transaction.atomic
def publish_weekly_hours(
    *, clinician: User, weekday: int, start_time: time, end_time: time
) -> WeeklyHours:
    if not start_time < end_time:
        raise ScheduleError(_("The hours must end after they start."))
    overlapping = WeeklyHours.objects.filter(
        clinician=clinician,
        weekday=weekday,
        start_time__lt=end_time,
        end_time__gt=start_time,
    )
    if overlapping.exists():
        raise ScheduleError(
            _("These hours overlap hours you already publish that day.")
        )
    return WeeklyHours.objects.create(
        clinician=clinician, weekday=weekday, start_time=start_time, end_time=end_time
    )


@transaction.atomic
def withdraw_weekly_hours(*, hours: WeeklyHours) -> None:
    hours.delete()


@transaction.atomic
def add_schedule_exception(
    *,
    clinician: User,
    day: date,
    kind: str,
    start_time: time | None = None,
    end_time: time | None = None,
) -> ScheduleException:
    if (start_time is None) != (end_time is None):
        raise ScheduleError(_("Give both a start and an end time, or neither."))
    if start_time is not None and not start_time < end_time:
        raise ScheduleError(_("The hours must end after they start."))
    if kind == ScheduleException.Kind.EXTRA and start_time is None:
        raise ScheduleError(_("Extra hours need a start and an end time."))
    return ScheduleException.objects.create(
        clinician=clinician,
        date=day,
        kind=kind,
        start_time=start_time,
        end_time=end_time,
    )
