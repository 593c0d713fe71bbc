"""Free-slot computation from weekly hours and exceptions, in the clinic's zone.

Wall-clock hours are turned into UTC instants one by one, so a slot keeps its
local time across daylight-saving changes; a local time that does not exist
(the spring-forward gap) is skipped, and a repeated one (fall back) is offered
once. The search runs a fixed number of queries whatever the number of
clinicians and days. Called by the booking views and by services.booking.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services import Refusal
from visits.models import ClinicianProfile, ScheduleException, Visit, WeeklyHours


class NonexistentLocalTime(Refusal, ValueError):
    """A wall-clock time that the clocks skip (daylight-saving gap)."""

    code = "nonexistent_local_time"


@dataclass(frozen=True)
class Slot:
    clinician_id: int
    clinician_name: str
    clinician_uuid: str
    start: datetime
    end: datetime
    clinic_zone: str

    @property
    def clinic_start(self) -> datetime:
        return self.start.astimezone(ZoneInfo(self.clinic_zone))

    @property
    def value(self) -> str:
        """The form value: the clinic's wall-clock time (what people read)."""
        return self.clinic_start.strftime("%Y-%m-%dT%H:%M")


def local_to_utc(day: date, at: time, zone: str) -> datetime:
    """The UTC instant of a clinic wall-clock time; refuses a skipped time."""
    tz = ZoneInfo(zone)
    naive = datetime.combine(day, at)
    aware = naive.replace(tzinfo=tz)
    if aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != naive:
        raise NonexistentLocalTime(
            _(
                "%(time)s on %(date)s does not exist in %(zone)s: the clocks "
                "move forward an hour that night. Please choose another time."
            )
            % {"time": at.strftime("%H:%M"), "date": day.isoformat(), "zone": zone}
        )
    return aware.astimezone(UTC)


def parse_clinic_time(value: str, zone: str) -> datetime:
    """Parse a form value "YYYY-MM-DDTHH:MM" (clinic time) into UTC."""
    try:
        naive = datetime.strptime(value, "%Y-%m-%dT%H:%M")  # noqa: DTZ007 - zone below
    except (TypeError, ValueError):
        raise ValueError(_("Please choose one of the times offered.")) from None
    return local_to_utc(naive.date(), naive.time(), zone)


def _blocks_for(day, weekday_hours, exceptions) -> list[tuple[time, time]]:
    blocks = [(h.start_time, h.end_time) for h in weekday_hours]
    for exc in exceptions:
        if exc.kind == ScheduleException.Kind.EXTRA and exc.start_time:
            blocks.append((exc.start_time, exc.end_time))
    return sorted(blocks)


def _removed(exceptions) -> tuple[bool, list[tuple[time, time]]]:
    whole_day = False
    ranges = []
    for exc in exceptions:
        if exc.kind != ScheduleException.Kind.UNAVAILABLE:
            continue
        if exc.start_time is None:
            whole_day = True
        else:
            ranges.append((exc.start_time, exc.end_time))
    return whole_day, ranges


def _day_slots(profile, day, duration, weekday_hours, exceptions, busy, not_before):
    whole_day_off, removed = _removed(exceptions)
    if whole_day_off:
        return []
    zone = profile.time_zone
    user = profile.clinician
    slots = []
    for block_start, block_end in _blocks_for(day, weekday_hours, exceptions):
        cursor = datetime.combine(day, block_start)
        block_end_dt = datetime.combine(day, block_end)
        while cursor + duration <= block_end_dt:
            wall = cursor.time()
            cursor += duration
            if any(lo <= wall < hi for lo, hi in removed):
                continue
            try:
                start = local_to_utc(day, wall, zone)
            except NonexistentLocalTime:
                continue
            end = start + duration
            if start < not_before:
                continue
            if any(b_start < end and b_end > start for b_start, b_end in busy):
                continue
            slots.append(
                Slot(user.pk, user.display_name, str(user.uuid), start, end, zone)
            )
    return slots


def free_slots(
    *,
    visit_type,
    start_date: date,
    days: int,
    clinicians=None,
    now: datetime | None = None,
) -> list[Slot]:
    """Every free slot of this visit type's length, sorted by time then clinician.

    Four queries: profiles (with users), weekly hours, exceptions, busy visits.
    """
    now = now or timezone.now()
    duration = timedelta(minutes=visit_type.duration_minutes)
    profiles = ClinicianProfile.objects.filter(visit_types=visit_type).select_related(
        "clinician"
    )
    if clinicians is not None:
        profiles = profiles.filter(clinician__in=clinicians)
    profiles = list(profiles)
    ids = [p.clinician_id for p in profiles]
    last_date = start_date + timedelta(days=days)

    hours = defaultdict(list)
    for row in WeeklyHours.objects.filter(clinician_id__in=ids):
        hours[(row.clinician_id, row.weekday)].append(row)
    exceptions = defaultdict(list)
    for row in ScheduleException.objects.filter(
        clinician_id__in=ids, date__gte=start_date, date__lt=last_date
    ):
        exceptions[(row.clinician_id, row.date)].append(row)
    # A day either side covers every clinic zone's offset from UTC.
    window_start = datetime.combine(start_date - timedelta(days=1), time(), UTC)
    window_end = datetime.combine(last_date + timedelta(days=1), time(), UTC)
    busy = defaultdict(list)
    for clinician_id, start, end in (
        Visit.objects.active()
        .filter(clinician_id__in=ids)
        .overlapping(window_start, window_end)
        .values_list("clinician_id", "start", "end")
    ):
        busy[clinician_id].append((start, end))

    slots = []
    for profile in profiles:
        for offset in range(days):
            day = start_date + timedelta(days=offset)
            slots.extend(
                _day_slots(
                    profile,
                    day,
                    duration,
                    hours[(profile.clinician_id, day.weekday())],
                    exceptions[(profile.clinician_id, day)],
                    busy[profile.clinician_id],
                    now,
                )
            )
    return sorted(slots, key=lambda slot: (slot.start, slot.clinician_name))
