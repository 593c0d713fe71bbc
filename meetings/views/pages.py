"""My meetings, scheduling, meeting detail and the host's changes to a meeting."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.services import format_time, require_permission
from meetings import jitsi, services
from meetings.forms import MeetingForm, OccurrenceMoveForm
from meetings.models import Guest, Meeting, Occurrence
from meetings.views.common import (
    hosted_meeting,
    meeting_for,
    occurrence_for,
    render_local,
)

MEETINGS_PER_PAGE = 20


@login_required
def my_meetings(request):
    """Every sitting from today on, in the person's zone, a page at a time, grouped
    under one heading per day."""
    zone = ZoneInfo(request.user.time_zone)
    today = timezone.now().astimezone(zone).date()
    midnight = datetime.combine(today, time.min, tzinfo=zone)
    occurrences = (
        Occurrence.objects.active()
        .filter(
            start__gte=midnight,
            meeting__in=Meeting.objects.visible_to(request.user)
            .on_portal()
            .values("pk"),
        )
        .select_related("meeting")
        .order_by("start", "pk")
    )
    page = Paginator(occurrences, MEETINGS_PER_PAGE).get_page(request.GET.get("page"))
    days: dict = {}
    for occurrence in page:
        local_start = occurrence.start.astimezone(zone)
        days.setdefault(local_start.date(), []).append(
            {"occurrence": occurrence, "meeting": occurrence.meeting}
        )
    feed = services.feed_for(request.user)
    return render_local(
        request,
        request.user.time_zone,
        "meetings/my_meetings.html",
        {
            "page": page,
            "days": [
                {"day": day, "is_today": day == today, "rows": rows}
                for day, rows in days.items()
            ],
            "feed_url": request.build_absolute_uri(
                reverse("meetings:calendar_feed", args=[feed.secret])
            ),
            "can_schedule": request.user.has_perm("meetings.schedule_meeting"),
        },
    )


@require_permission("meetings.schedule_meeting")
def schedule(request):
    form = MeetingForm(request.POST or None, viewer=request.user)
    conflicts = []
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.schedule_meeting(
                organizer=request.user,
                refuse_conflicts=not form.cleaned_data["schedule_anyway"],
                **form.meeting_arguments(),
            )
        except services.SchedulingConflicts as refusal:
            conflicts = refusal.people
        except ValidationError as error:
            form.add_error(None, error)
        else:
            _say_scheduled(request, meeting, form.series_was_open())
            return redirect("meetings:detail", meeting.uuid)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "meetings/schedule.html",
        {"form": form, "conflicts": conflicts},
        status=status,
    )


def _say_scheduled(request, meeting: Meeting, series_was_open: bool) -> None:
    messages.success(
        request, _("The meeting was scheduled and invitations are on their way.")
    )
    if series_was_open:
        messages.warning(
            request,
            _("The series had no end, so it was limited to %(count)d meetings.")
            % {"count": meeting.occurrences.count()},
        )


@login_required
def detail(request, meeting_uuid):
    meeting = meeting_for(request, meeting_uuid)
    zone = ZoneInfo(request.user.time_zone)
    is_host = meeting.is_host(request.user)
    occurrences = [
        {
            "occurrence": o,
            "start": o.start.astimezone(zone),
            "end": o.end.astimezone(zone),
            "is_past": o.start < timezone.now(),
        }
        for o in meeting.occurrences.order_by("start")
    ]
    guests = (
        [
            {
                "guest": g,
                "link": services.guest_link(g) if is_host and g.link_is_valid() else "",
            }
            for g in meeting.guests.all()
        ]
        if is_host
        else []
    )
    return render_local(
        request,
        request.user.time_zone,
        "meetings/detail.html",
        {
            "meeting": meeting,
            "occurrences": occurrences,
            "is_host": is_host,
            "records_allowed": meeting.kind_rule.records_allowed,
            "guests": guests,
            "tokens_enabled": jitsi.tokens_enabled(),
        },
    )


@login_required
@require_POST
def revoke_guest(request, meeting_uuid, guest_uuid):
    meeting = hosted_meeting(request, meeting_uuid)
    guest = get_object_or_404(Guest, meeting=meeting, uuid=guest_uuid)
    services.revoke_guest_link(guest=guest)
    messages.success(request, _("The guest's link no longer works."))
    return redirect("meetings:detail", meeting.uuid)


def _confirm_cancel(request, meeting: Meeting, occurrence: Occurrence | None = None):
    """A page that says exactly what will be cancelled, who will be told, and asks."""
    sittings = (
        [occurrence]
        if occurrence
        else list(meeting.occurrences.active().filter(start__gte=timezone.now()))
    )
    return render(
        request,
        "meetings/confirm_cancel.html",
        {
            "meeting": meeting,
            "occurrence": occurrence,
            "sittings": sittings,
            "told": len(services.invitation_recipients(meeting)),
        },
    )


@login_required
def cancel(request, meeting_uuid):
    meeting = hosted_meeting(request, meeting_uuid)
    if request.method != "POST":
        return _confirm_cancel(request, meeting)
    services.cancel_meeting(meeting=meeting)
    messages.success(request, _("The meeting was cancelled and everyone was told."))
    return redirect("meetings:detail", meeting.uuid)


@login_required
@require_POST
def end(request, meeting_uuid):
    meeting = hosted_meeting(request, meeting_uuid)
    services.end_meeting(meeting=meeting)
    messages.success(request, _("The meeting was ended; nobody can join it now."))
    return redirect("meetings:detail", meeting.uuid)


@login_required
def cancel_occurrence(request, meeting_uuid, occurrence_uuid):
    meeting = hosted_meeting(request, meeting_uuid)
    occurrence = occurrence_for(meeting, occurrence_uuid)
    if request.method != "POST":
        return _confirm_cancel(request, meeting, occurrence)
    services.cancel_occurrence(occurrence=occurrence)
    messages.success(
        request,
        _("The meeting on %(when)s was cancelled and everyone was told.")
        % {"when": format_time(occurrence.start, request.user)},
    )
    return redirect("meetings:detail", meeting.uuid)


@login_required
def move_occurrence(request, meeting_uuid, occurrence_uuid):
    meeting = hosted_meeting(request, meeting_uuid)
    occurrence = occurrence_for(meeting, occurrence_uuid)
    local = occurrence.start.astimezone(ZoneInfo(meeting.time_zone))
    form = OccurrenceMoveForm(
        request.POST or None,
        time_zone=meeting.time_zone,
        initial={
            "date": local.date(),
            "start_time": local.time(),
            "duration_minutes": occurrence.duration_minutes,
        },
    )
    if request.method == "POST" and form.is_valid():
        services.move_occurrence(
            occurrence=occurrence,
            start=form.cleaned_data["start"],
            duration_minutes=form.cleaned_data["duration_minutes"],
        )
        messages.success(request, _("The meeting was moved and everyone was told."))
        return redirect("meetings:detail", meeting.uuid)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "meetings/move.html",
        {"form": form, "meeting": meeting, "occurrence": occurrence},
        status=status,
    )
