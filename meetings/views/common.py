"""Helpers shared by the meetings views: who may see what, and local times."""

from zoneinfo import ZoneInfo

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from meetings.models import Meeting, Occurrence


def render_local(request, zone: str, template: str, context: dict, status=200):
    """Render with `zone` active, so templates show times in that zone."""
    with timezone.override(ZoneInfo(zone)):
        return render(request, template, {**context, "time_zone": zone}, status=status)


def meeting_for(request, meeting_uuid) -> Meeting:
    """The meeting if this person takes part in it; else 404 (no hint it exists)."""
    meeting = get_object_or_404(
        Meeting.objects.on_portal().select_related("organizer"), uuid=meeting_uuid
    )
    if not meeting.is_participant(request.user):
        raise Http404
    return meeting


def recordable_meeting(request, meeting_uuid) -> Meeting:
    """meeting_for, minus the kinds that may get no minutes or action items."""
    meeting = meeting_for(request, meeting_uuid)
    if not meeting.kind_rule.records_allowed:
        raise Http404
    return meeting


def hosted_meeting(request, meeting_uuid) -> Meeting:
    meeting = meeting_for(request, meeting_uuid)
    if not meeting.is_host(request.user):
        raise Http404
    return meeting


def occurrence_for(meeting: Meeting, occurrence_uuid) -> Occurrence:
    return get_object_or_404(meeting.occurrences, uuid=occurrence_uuid)
