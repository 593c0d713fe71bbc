"""Searching and exporting the PHI audit log, for auditors.

Called by visits.views.audit. Criteria name patients, so they never travel in a
URL (the view keeps them in the session); the export is itself audited there.
"""

import uuid
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet

from accounts.services import csv_text, format_time, zone_of
from visits.models import AuditEvent

EXPORT_LIMIT = 10_000
_NAME_FIELDS = ("full_name", "preferred_name")


def _person_matches(prefix: str, term: str) -> Q:
    """The person's name containing `term` ("Pat Patient"), their exact username,
    or their record number (the uuid on their record, whole or its first 8 or more
    characters)."""
    term = term.strip()
    matches = Q(**{f"{prefix}__username__iexact": term})
    for field in _NAME_FIELDS:
        matches |= Q(**{f"{prefix}__{field}__icontains": term})
    try:
        return matches | Q(**{f"{prefix}__uuid": uuid.UUID(term)})
    except ValueError:
        pass
    compact = term.replace("-", "").lower()
    if len(compact) >= 8 and all(c in "0123456789abcdef" for c in compact):
        return matches | Q(**{f"{prefix}__uuid__istartswith": term.lower()})
    return matches


def search_events(
    *,
    patient: str = "",
    actor: str = "",
    action: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    zone=None,
) -> QuerySet:
    """Events matching every criterion given; dates are whole days in `zone`
    (the auditor's), `date_to` included."""
    events = AuditEvent.objects.select_related("actor", "patient")
    if patient:
        events = events.filter(_person_matches("patient", patient))
    if actor:
        events = events.filter(_person_matches("actor", actor))
    if action:
        events = events.filter(action=action)
    tz = zone_of(zone)
    if date_from:
        events = events.filter(at__gte=datetime.combine(date_from, time.min, tz))
    if date_to:
        end = datetime.combine(date_to + timedelta(days=1), time.min, tz)
        events = events.filter(at__lt=end)
    return events.order_by("-at", "-pk")


def _person(user) -> tuple[str, str]:
    return (user.display_name, user.username) if user else ("", "")


def events_csv(events: Iterable[AuditEvent], *, zone) -> str:
    """The rows the search shows, as CSV text; times in the auditor's zone."""
    tz = zone_of(zone)
    header = [
        "when",
        "time_zone",
        "who",
        "who_username",
        "action",
        "patient",
        "patient_username",
        "patient_record_number",
        "what",
        "path",
        "from_address",
    ]
    rows = (
        (
            format_time(event.at, tz, fmt="Y-m-d H:i:s", label=False),
            tz.key,
            *_person(event.actor),
            event.get_action_display(),
            *_person(event.patient),
            event.patient.uuid if event.patient else "",
            event.what,
            event.path,
            event.ip_address or "",
        )
        for event in events
    )
    return csv_text(header, rows)
