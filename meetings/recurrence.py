"""Local wall-clock times and recurrence rules, in the meeting's own time zone.

A weekly 09:00 meeting in New York stays at 09:00 local across a daylight saving
change, so rules are expanded from an aware local start (dateutil keeps the wall
clock) and only then converted to UTC.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from itertools import islice
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from django.utils.translation import gettext as _

from accounts.services import Refusal


class LocalTimeError(Refusal, ValueError):
    """A local time that cannot be used, with a sentence for the person."""

    code = "local_time"


FREQUENCIES = {"daily": "DAILY", "weekly": "WEEKLY", "monthly": "MONTHLY"}


def localize(day: date, at: time, zone_name: str) -> datetime:
    """Attach the zone to a local date and time.

    A time inside the spring-forward gap does not exist and is refused. A time in
    the fall-back overlap happens twice; we take the first (fold=0, still on daylight
    time), which is what calendar programs do
    (docs/decisions/0008-meetings-times-reminders-attendance.md).
    """
    zone = ZoneInfo(zone_name)
    local = datetime.combine(day, at, tzinfo=zone)
    round_trip = local.astimezone(UTC).astimezone(zone)
    if round_trip.replace(tzinfo=None) != local.replace(tzinfo=None):
        raise LocalTimeError(
            _(
                "%(time)s on %(date)s does not exist in %(zone)s because the clocks "
                "go forward then. Please choose another time."
            )
            % {"time": at.strftime("%H:%M"), "date": day.isoformat(), "zone": zone_name}
        )
    return local.replace(fold=0)


def build_rule(
    *, frequency: str, interval: int = 1, count: int | None, until: datetime | None
) -> str:
    """An RRULE value; UNTIL is written in UTC as RFC 5545 requires with a TZID."""
    parts = [f"FREQ={FREQUENCIES[frequency]}"]
    if interval > 1:
        parts.append(f"INTERVAL={interval}")
    if count:
        parts.append(f"COUNT={count}")
    elif until:
        parts.append(f"UNTIL={until.astimezone(UTC):%Y%m%dT%H%M%SZ}")
    return ";".join(parts)


@dataclass(frozen=True)
class Expansion:
    starts: list[datetime]  # UTC
    capped: bool  # the rule gives more than the cap (or never ends)


def expand(*, start: datetime, zone_name: str, rule: str, cap: int) -> Expansion:
    """The UTC starts of a series, at most `cap` of them."""
    if not rule:
        return Expansion([start.astimezone(UTC)], capped=False)
    local_start = start.astimezone(ZoneInfo(zone_name))
    recurrence = rrulestr(rule, dtstart=local_start)
    starts = list(islice(iter(recurrence), cap + 1))
    capped = len(starts) > cap
    return Expansion([s.astimezone(UTC) for s in starts[:cap]], capped=capped)


def rule_is_bounded(rule: str) -> bool:
    return "COUNT=" in rule or "UNTIL=" in rule
