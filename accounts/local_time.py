"""One rule for every time a person sees: in their own zone, labelled with it.

Pages, emails, PDFs and calendar text all format through these helpers, so that a
visit at 11:15 in Chicago reads 11:15 (America/Chicago) everywhere for that patient
and 18:15 (Europe/Berlin) for the clinician. The `date` template filter alone would
convert to the active zone, which outside a request is the server's (UTC).
"""

from datetime import date, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils import formats, timezone

DATETIME_FORMAT = "D j M Y, H:i"
DATE_FORMAT = "D j M Y"
TIME_FORMAT = "H:i"


def zone_of(value: str | tzinfo | object | None) -> ZoneInfo:
    """A ZoneInfo from an IANA name, a tzinfo, or anything with a `time_zone`
    attribute (a user); the active zone when given nothing usable."""
    if isinstance(value, ZoneInfo):
        return value
    name = getattr(value, "time_zone", value)
    if isinstance(name, str) and name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    current = timezone.get_current_timezone()
    return current if isinstance(current, ZoneInfo) else ZoneInfo(str(current))


def in_zone(moment: datetime, zone=None) -> datetime:
    return moment.astimezone(zone_of(zone))


def format_time(
    moment: datetime | date | None, zone=None, *, fmt: str = DATETIME_FORMAT, label=True
) -> str:
    """`moment` in `zone` (a name, tzinfo or user; default the active zone), with
    the zone's IANA name after it unless `label` is false. Dates pass through."""
    if moment is None:
        return ""
    if not isinstance(moment, datetime):
        return formats.date_format(moment, DATE_FORMAT)
    local = in_zone(moment, zone)
    text = formats.date_format(local, fmt)
    return f"{text} ({local.tzinfo.key})" if label else text


def format_time_pair(moment: datetime, viewer_zone, event_zone, **options) -> str:
    """The viewer's time, then the event's own zone when it differs:
    'Fri 4 Dec 2026, 18:15 (Europe/Berlin) · 11:15 (America/Chicago)'."""
    mine = format_time(moment, viewer_zone, **options)
    viewer, event = zone_of(viewer_zone), zone_of(event_zone)
    if in_zone(moment, viewer).utcoffset() == in_zone(moment, event).utcoffset():
        return mine
    theirs = format_time(moment, event, fmt=TIME_FORMAT)
    return f"{mine} · {theirs}"
