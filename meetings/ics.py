"""iCalendar (RFC 5545/5546) files for meetings, built with the icalendar library.

One UID per meeting, SEQUENCE from the meeting, DTSTART in the meeting's zone with
its VTIMEZONE, RRULE/EXDATE for series and RECURRENCE-ID for single sittings.
Titles are the public ones (no patient details); no token is ever written here.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vRecur, vText

from meetings.models import Meeting, Occurrence

PRODID = "-//TeleCampus//Meetings//EN"


@dataclass(frozen=True)
class Attendee:
    email: str
    name: str
    role: str = "REQ-PARTICIPANT"


def uid(meeting: Meeting) -> str:
    return f"{meeting.uuid}@telecampus"


def _address(email: str, name: str, **params: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    address.params["CN"] = vText(name or email)
    address.params.update(params)
    return address


def _event(
    *,
    meeting: Meeting,
    method: str,
    start: datetime,
    duration_minutes: int,
    attendees: Iterable[Attendee],
    join_url: str,
    recurrence_id: datetime | None = None,
    event_uid: str | None = None,
) -> Event:
    zone = ZoneInfo(meeting.time_zone)
    local_start = start.astimezone(zone)
    event = Event()
    event.add("uid", event_uid or uid(meeting))
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", local_start)
    event.add("dtend", (start + timedelta(minutes=duration_minutes)).astimezone(zone))
    if recurrence_id is not None:
        event.add("recurrence-id", recurrence_id.astimezone(zone))
    event.add("summary", meeting.public_title)
    description = "\n\n".join(
        part for part in (meeting.public_agenda, join_url) if part
    )
    event.add("description", description)
    event.add("location", join_url)
    event.add("url", join_url)
    event.add(
        "organizer", _address(meeting.organizer.email, meeting.organizer.display_name)
    )
    for attendee in attendees:
        event.add(
            "attendee",
            _address(
                attendee.email,
                attendee.name,
                ROLE=attendee.role,
                PARTSTAT="NEEDS-ACTION",
                RSVP="TRUE",
            ),
        )
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    return event


def _margin(day: date, days: int) -> date:
    """`day` moved by `days`, kept inside the years Python can represent."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


def _calendar(
    method: str, events: Iterable[Event], span: tuple[datetime, datetime]
) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    for event in events:
        calendar.add_component(event)
    # VTIMEZONE only around the dates used: short, and dateutil-based readers
    # (vobject) misread the very long RDATE lists of a 1970-2038 definition.
    calendar.add_missing_timezones(
        first_date=_margin(span[0].date(), -366),
        last_date=_margin(span[1].date(), 366),
    )
    return calendar


def _span(meeting: Meeting) -> tuple[datetime, datetime]:
    last = meeting.occurrences.order_by("-start").values_list("start", flat=True)
    return meeting.start, max(meeting.start, last.first() or meeting.start)


def invitation(
    *,
    meeting: Meeting,
    method: str,
    attendees: Iterable[Attendee],
    join_url: str,
    occurrence: Occurrence | None = None,
) -> bytes:
    """A REQUEST or CANCEL for the whole series, or for one sitting when given."""
    attendees = list(attendees)
    common = {"meeting": meeting, "method": method, "attendees": attendees}
    if occurrence is not None:
        event = _event(
            **common,
            start=occurrence.start,
            duration_minutes=occurrence.duration_minutes,
            join_url=join_url,
            recurrence_id=occurrence.original_start if meeting.is_recurring else None,
        )
        return _calendar(method, [event], _span(meeting)).to_ical()
    master = _event(
        **common,
        start=meeting.start,
        duration_minutes=meeting.duration_minutes,
        join_url=join_url,
    )
    events = [master]
    if meeting.is_recurring:
        master.add("rrule", vRecur.from_ical(meeting.recurrence_rule))
        zone = ZoneInfo(meeting.time_zone)
        occurrences = list(meeting.occurrences.order_by("original_start"))
        skipped = [
            o.original_start.astimezone(zone) for o in occurrences if o.is_cancelled
        ]
        if skipped:
            master.add("exdate", skipped)
        if method == "REQUEST":
            events += [
                _event(
                    **common,
                    start=o.start,
                    duration_minutes=o.duration_minutes,
                    join_url=join_url,
                    recurrence_id=o.original_start,
                )
                for o in occurrences
                if o.is_modified and not o.is_cancelled
            ]
    return _calendar(method, events, _span(meeting)).to_ical()


def is_representable(moment: datetime) -> bool:
    """Whether a stored start can be written with its end and zone (dates typed
    before the entry window existed, such as 9999-12-31, cannot)."""
    try:
        (moment + timedelta(days=2)).astimezone(UTC)
        (moment - timedelta(days=2)).astimezone(UTC)
    except OverflowError:
        return False
    return True


def feed(*, occurrences: Iterable[Occurrence], join_url_for) -> bytes:
    """A subscription feed (METHOD:PUBLISH): one event per upcoming sitting.

    A sitting whose date cannot be written is left out rather than failing the
    whole feed for everyone invited to anything.
    """
    occurrences = [o for o in occurrences if is_representable(o.start)]
    now = timezone.now()
    starts = [o.start for o in occurrences] or [now]
    events = [
        _event(
            meeting=o.meeting,
            method="PUBLISH",
            start=o.start,
            duration_minutes=o.duration_minutes,
            attendees=(),
            join_url=join_url_for(o.meeting),
            event_uid=f"{o.uuid}@telecampus",
        )
        for o in occurrences
    ]
    return _calendar("PUBLISH", events, (min(starts), max(starts))).to_ical()
