"""The visit's video room, from the meetings app (the only Jitsi-aware code).

The room is made at check-in with a random slug and a generic title; tokens are
issued per person by meetings.join_context (moderator only for the clinician,
within the visit window); ending the visit ends the meeting so new joins fail.
Called by services.visit_flow and the video view.
"""

from datetime import datetime, timedelta

from django.utils.translation import gettext as _

from meetings.models import Meeting
from meetings.services import (
    JoinRefused,
    create_visit_room,
    end_meeting,
    join_context,
    open_room_now,
)
from visits.errors import VisitsError
from visits.models import Visit


class VideoRefused(VisitsError):
    """This person may not join the video call now; `message` says why."""


def _meeting(visit: Visit):
    return Meeting.objects.filter(uuid=visit.meeting_uuid).first()


def ensure_room(visit: Visit):
    meeting = _meeting(visit) if visit.meeting_uuid else None
    if meeting is None:
        meeting = create_visit_room(
            clinician=visit.clinician,
            patient=visit.patient,
            start=visit.start,
            duration_minutes=int((visit.end - visit.start).total_seconds() // 60),
            time_zone=visit.time_zone,
        )
        visit.meeting_uuid = meeting.uuid
        visit.save(update_fields=["meeting_uuid"])
    return meeting


def open_room(visit: Visit, *, now: datetime, margin: timedelta) -> None:
    """Admission opens the room there and then, so both join at once even when
    the clinician admits before meetings' usual early-join window."""
    try:
        open_room_now(meeting=ensure_room(visit), now=now, margin=margin)
    except JoinRefused as exc:
        raise VideoRefused(str(exc.reason)) from None


def close_room(visit: Visit) -> None:
    meeting = _meeting(visit) if visit.meeting_uuid else None
    if meeting is not None:
        end_meeting(meeting=meeting)


def join_for(visit: Visit, user):
    """A JoinContext for this person, or VideoRefused with the reason."""
    if visit.status == Visit.Status.CANCELLED:
        raise VideoRefused(_("This visit was cancelled."))
    if visit.status in (Visit.Status.COMPLETED, Visit.Status.NO_SHOW):
        raise VideoRefused(_("This visit has ended. The video call is closed."))
    if user.pk == visit.patient_id and visit.status != Visit.Status.IN_PROGRESS:
        raise VideoRefused(
            _("Please wait in the waiting room until the clinician lets you in.")
        )
    if user.pk == visit.clinician_id and visit.status == Visit.Status.BOOKED:
        raise VideoRefused(_("The patient has not checked in yet."))
    meeting = ensure_room(visit)
    try:
        return join_context(meeting=meeting, user=user)
    except JoinRefused as exc:
        raise VideoRefused(str(exc.reason)) from None
