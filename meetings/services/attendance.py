"""Attendance: Jitsi event-sync webhooks into presence intervals, and minutes present.

Called by the webhook view (record_room_event), the report views and courses
(attendance_minutes for live credit).
"""

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from meetings import jitsi
from meetings.models import AttendanceInterval, Guest, JitsiEvent, Meeting, Occurrence


def event_key(payload: dict) -> str:
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _occurrence_at(meeting: Meeting, moment: datetime) -> Occurrence | None:
    try:
        latest = moment + timedelta(minutes=settings.JITSI_EARLY_JOIN_MINUTES)
        earliest = moment - timedelta(hours=25)
    except OverflowError:  # a time at the edge of year 9999 matches no sitting
        return None
    for occurrence in meeting.occurrences.filter(
        start__lte=latest, start__gte=earliest
    ).order_by("-start"):
        opens, closes = occurrence.window()
        if opens <= moment <= closes:
            return occurrence
    return None


def _person(meeting: Meeting, participant_id: str) -> tuple[User | None, Guest | None]:
    if not participant_id:
        return None, None
    try:
        person_uuid = uuid.UUID(str(participant_id))
    except ValueError:
        # Not one of ours (a Jitsi-made id such as "guest-abc"): ignored.
        return None, None
    user = meeting.participants().filter(uuid=person_uuid).first()
    guest = None if user else meeting.guests.filter(uuid=person_uuid).first()
    return user, guest


def record_room_event(*, payload: dict) -> bool:
    """Apply one webhook once; True when it changed something.

    A replay has the same key and stops at the unique insert; an event for an
    unknown room or person is stored and ignored.
    """
    event = jitsi.parse_event(payload)
    try:
        with transaction.atomic():
            JitsiEvent.objects.create(
                key=event_key(payload), event_name=event.name, room_slug=event.room
            )
            return _apply(event)
    except IntegrityError:
        return False


def _apply(event: jitsi.RoomEvent) -> bool:
    meeting = Meeting.objects.filter(room_slug=event.room).first()
    if meeting is None:
        return False
    occurrence = _occurrence_at(meeting, event.at)
    if occurrence is None:
        return False
    if event.name == "room_destroyed":
        if event.is_breakout:
            # A breakout room closing (its name is the main room's) ends nobody's
            # presence: its occupants went back to the main room.
            return False
        return bool(
            occurrence.attendance.filter(
                source=AttendanceInterval.Source.JITSI, left_at__isnull=True
            ).update(left_at=event.at)
        )
    if event.name not in {"occupant_joined", "occupant_left"}:
        return False
    user, guest = _person(meeting, event.participant_id)
    if user is None and guest is None:
        return False
    if event.name == "occupant_joined":
        AttendanceInterval.objects.create(
            occurrence=occurrence,
            user=user,
            guest=guest,
            source=AttendanceInterval.Source.JITSI,
            occupant_jid=event.occupant_jid,
            joined_at=event.at,
        )
        return True
    open_interval = (
        occurrence.attendance.select_for_update()
        .filter(
            source=AttendanceInterval.Source.JITSI,
            user=user,
            guest=guest,
            occupant_jid=event.occupant_jid,
            left_at__isnull=True,
            joined_at__lte=event.at,
        )
        .order_by("-joined_at")
        .first()
    )
    if open_interval is None:
        return False
    open_interval.left_at = event.at
    open_interval.save(update_fields=["left_at"])
    return True


@dataclass(frozen=True)
class Presence:
    name: str
    email: str
    intervals: list[tuple[datetime, datetime]]
    portal_joins: int

    @property
    def minutes(self) -> int:
        return total_minutes(self.intervals)


def merge(
    intervals: list[tuple[datetime, datetime]],
) -> list[tuple[datetime, datetime]]:
    """Overlapping or touching stretches become one (rejoins, two devices)."""
    merged: list[tuple[datetime, datetime]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def total_minutes(intervals: list[tuple[datetime, datetime]]) -> int:
    return int(sum((end - start).total_seconds() for start, end in intervals) // 60)


def _closed(
    occurrence: Occurrence, rows, now: datetime
) -> list[tuple[datetime, datetime]]:
    """Intervals with still-open ones closed at the sitting's end, ending or now."""
    cutoff = min(
        value
        for value in (occurrence.window()[1], occurrence.ended_at, now)
        if value is not None
    )
    return merge(
        [
            (row.joined_at, row.left_at or max(row.joined_at, cutoff))
            for row in rows
            if row.source == AttendanceInterval.Source.JITSI
        ]
    )


def attendance_minutes(
    *, meeting: Meeting, user, occurrence_start: datetime | None = None
) -> int:
    """Minutes this person was present (merged intervals), for one sitting or all."""
    occurrences = meeting.occurrences.all()
    if occurrence_start is not None:
        occurrences = occurrences.filter(original_start=occurrence_start)
    now = timezone.now()
    total = 0
    for occurrence in occurrences:
        rows = occurrence.attendance.filter(user=user)
        total += total_minutes(_closed(occurrence, rows, now))
    return total


def attendance_report(*, occurrence: Occurrence) -> list[Presence]:
    """One line per person who joined: merged intervals, minutes, portal joins."""
    now = timezone.now()
    by_person: dict[tuple, list[AttendanceInterval]] = {}
    for row in occurrence.attendance.select_related("user", "guest"):
        by_person.setdefault((row.user, row.guest), []).append(row)
    report = []
    for (user, guest), rows in by_person.items():
        person = user or guest
        report.append(
            Presence(
                name=person.display_name,
                email=person.email,
                intervals=_closed(occurrence, rows, now),
                portal_joins=sum(
                    row.source == AttendanceInterval.Source.PORTAL for row in rows
                ),
            )
        )
    return sorted(report, key=lambda presence: presence.name.lower())
