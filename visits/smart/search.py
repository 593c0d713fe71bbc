"""FHIR search parameters the API understands, parsed into database filters.

Only what the CapabilityStatement lists is accepted; anything else is refused with
a sentence, so an app never mistakes an ignored filter for an applied one.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Q
from django.utils.dateparse import parse_datetime

from accounts.services import Refusal


class SearchRefused(Refusal, ValueError):
    code = "invalid"


DEFAULT_PAGE_SIZE = 50
DATE_PREFIXES = ("eq", "gt", "ge", "lt", "le")
PAGING = ("_count", "_offset", "_format")


@dataclass
class Paging:
    count: int = DEFAULT_PAGE_SIZE
    offset: int = 0
    used: list[tuple[str, str]] = field(default_factory=list)


def _whole(name: str, value: str, low: int, high: int) -> int:
    try:
        number = int(value)
    except ValueError:
        raise SearchRefused(f"{name} must be a whole number.") from None
    if not low <= number <= high:
        raise SearchRefused(f"{name} must be between {low} and {high}.")
    return number


def paging(params) -> Paging:
    page = Paging()
    if "_count" in params:
        page.count = _whole("_count", params["_count"], 1, settings.SMART_MAX_PAGE_SIZE)
    if "_offset" in params:
        page.offset = _whole("_offset", params["_offset"], 0, 10**9)
    return page


def check_known(params, allowed: tuple[str, ...]) -> list[tuple[str, str]]:
    """Every (name, value) given, refusing names this type does not support."""
    pairs = [(name, value) for name in params for value in params.getlist(name)]
    for name, _value in pairs:
        if name not in allowed and name not in PAGING:
            supported = ", ".join(allowed) or "none"
            raise SearchRefused(
                f"The search parameter {name!r} is not supported here. "
                f"Supported: {supported}, _count, _offset."
            )
    return pairs


def date_bounds(value: str, zone: str) -> tuple[datetime, datetime]:
    """The instants [start, end) a FHIR date, partial date or dateTime covers; dates
    without a time are days in the patient's own zone."""
    tz = ZoneInfo(zone)
    try:
        start, end = _bounds(value, tz)
        # The database compares in UTC; make the conversion fail here, not there.
        start.astimezone(UTC), end.astimezone(UTC)
        return start, end
    except (ValueError, OverflowError):
        # OverflowError: the ends of datetime's range (year 1, year 9999).
        raise SearchRefused(
            f"{value!r} is not a FHIR date; use YYYY, YYYY-MM, YYYY-MM-DD or a "
            "dateTime with its UTC offset, between the years 1 and 9998."
        ) from None


def _bounds(value: str, tz) -> tuple[datetime, datetime]:
    try:
        if len(value) == 4:
            start = datetime(int(value), 1, 1, tzinfo=tz)
            return start, start + relativedelta(years=1)
        if len(value) == 7:
            start = datetime(int(value[:4]), int(value[5:7]), 1, tzinfo=tz)
            return start, start + relativedelta(months=1)
        if len(value) == 10:
            start = datetime.fromisoformat(value).replace(tzinfo=tz)
            return start, start + timedelta(days=1)
        moment = parse_datetime(value)
    except ValueError:
        moment = None
    if moment is None:
        raise ValueError(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return moment, moment + timedelta(seconds=1)


def date_filter(field_name: str, raw: str, zone: str) -> Q:
    prefix, value = ("eq", raw)
    if raw[:2] in DATE_PREFIXES:
        prefix, value = raw[:2], raw[2:]
    elif raw[:2].isalpha():
        raise SearchRefused(
            f"The date prefix {raw[:2]!r} is not supported; use eq, gt, ge, lt or le."
        )
    start, end = date_bounds(value, zone)
    return {
        "eq": Q(**{f"{field_name}__gte": start, f"{field_name}__lt": end}),
        "gt": Q(**{f"{field_name}__gte": end}),
        "ge": Q(**{f"{field_name}__gte": start}),
        "lt": Q(**{f"{field_name}__lt": start}),
        "le": Q(**{f"{field_name}__lt": end}),
    }[prefix]


def token_codes(raw: str) -> list[tuple[str | None, str]]:
    """`system|code` or `code`, comma-separated (OR)."""
    codes = []
    for part in raw.split(","):
        if "|" in part:
            system, _bar, code = part.partition("|")
            codes.append((system or None, code))
        else:
            codes.append((None, part))
    return codes
