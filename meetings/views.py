import csv
import hmac
import json
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from meetings import jitsi, services
from meetings.forms import ActionItemForm, MeetingForm, MinutesForm, OccurrenceMoveForm
from meetings.models import ActionItem, CalendarFeed, Guest, Meeting, Occurrence
from meetings.services.scheduling import occurrence_starts


def _render_local(request, zone: str, template: str, context: dict, status=200):
    """Render with `zone` active, so templates show times in that zone."""
    with timezone.override(ZoneInfo(zone)):
        return render(request, template, {**context, "time_zone": zone}, status=status)


def _meeting_for(request, meeting_uuid) -> Meeting:
    """The meeting if this person takes part in it; else 404 (no hint it exists)."""
    meeting = get_object_or_404(
        Meeting.objects.select_related("organizer"), uuid=meeting_uuid
    )
    if not meeting.is_participant(request.user):
        raise Http404
    return meeting


def _hosted_meeting(request, meeting_uuid) -> Meeting:
    meeting = _meeting_for(request, meeting_uuid)
    if not meeting.is_host(request.user):
        raise Http404
    return meeting


def _occurrence(meeting: Meeting, occurrence_uuid) -> Occurrence:
    return get_object_or_404(meeting.occurrences, uuid=occurrence_uuid)


@login_required
def my_meetings(request):
    zone = ZoneInfo(request.user.time_zone)
    now_local = timezone.now().astimezone(zone)
    today = now_local.replace(hour=0, minute=0, second=0, microsecond=0)
    tomorrow = today + timedelta(days=1)
    week_end = today + timedelta(days=7 - today.weekday())
    horizon = today + timedelta(days=35)
    occurrences = (
        Occurrence.objects.active()
        .filter(
            start__gte=today - timedelta(days=1),
            start__lt=horizon,
            meeting__in=Meeting.objects.visible_to(request.user).values("pk"),
        )
        .select_related("meeting")
        .order_by("start")
    )
    sections = {"today": [], "week": [], "later": []}
    for occurrence in occurrences:
        local_start = occurrence.start.astimezone(zone)
        if occurrence.end.astimezone(zone) < today:
            continue
        row = {
            "occurrence": occurrence,
            "meeting": occurrence.meeting,
            "start": local_start,
            "end": occurrence.end.astimezone(zone),
        }
        if local_start < tomorrow:
            sections["today"].append(row)
        elif local_start < week_end:
            sections["week"].append(row)
        else:
            sections["later"].append(row)
    return _render_local(
        request,
        request.user.time_zone,
        "meetings/my_meetings.html",
        {
            **sections,
            "can_schedule": request.user.has_perm("meetings.schedule_meeting"),
        },
    )


@login_required
@permission_required("meetings.schedule_meeting", raise_exception=True)
def schedule(request):
    form = MeetingForm(request.POST or None, viewer=request.user)
    conflicts = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        people = list(data["invitees"]) + list(data["co_hosts"])
        starts, _capped = occurrence_starts(
            start=data["start"],
            time_zone=data["time_zone"],
            recurrence_rule=data["recurrence_rule"],
        )
        conflicts = services.find_conflicts(
            people=people, starts=starts, duration_minutes=data["duration_minutes"]
        )
        if not conflicts or data["schedule_anyway"]:
            try:
                meeting = services.schedule_meeting(
                    organizer=request.user,
                    kind=data["kind"],
                    title=data["title"],
                    agenda=data["agenda"],
                    start=data["start"],
                    duration_minutes=data["duration_minutes"],
                    time_zone=data["time_zone"],
                    recurrence_rule=data["recurrence_rule"],
                    exceptions=data["exceptions"],
                    invitees=data["invitees"],
                    co_hosts=data["co_hosts"],
                    groups=data["groups"],
                    guest_emails=data["guest_emails"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("The meeting was scheduled and invitations are on their way."),
                )
                if (
                    data["recurrence_rule"]
                    and not data.get("repeat_count")
                    and not data.get("repeat_until")
                ):
                    messages.warning(
                        request,
                        _(
                            "The series had no end, so it was limited to "
                            "%(count)d meetings."
                        )
                        % {"count": meeting.occurrences.count()},
                    )
                return redirect("meetings:detail", meeting.uuid)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "meetings/schedule.html",
        {"form": form, "conflicts": conflicts},
        status=status,
    )


@login_required
def detail(request, meeting_uuid):
    meeting = _meeting_for(request, meeting_uuid)
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
    return _render_local(
        request,
        request.user.time_zone,
        "meetings/detail.html",
        {
            "meeting": meeting,
            "occurrences": occurrences,
            "is_host": is_host,
            "guests": guests,
            "tokens_enabled": jitsi.tokens_enabled(),
        },
    )


def _refused(
    request, meeting: Meeting | None, refusal: services.JoinRefused, zone: str
):
    return _render_local(
        request,
        zone,
        "meetings/not_open.html",
        {"meeting": meeting, "refusal": refusal, "next_start": refusal.next_start},
        status=403,
    )


@login_required
def join(request, meeting_uuid):
    meeting = get_object_or_404(Meeting, uuid=meeting_uuid)
    try:
        context = services.join_context(meeting=meeting, user=request.user)
    except services.NotInvited:
        raise Http404 from None
    except services.JoinRefused as refusal:
        return _refused(request, meeting, refusal, request.user.time_zone)
    services.record_portal_join(join=context, user=request.user)
    return render(request, "meetings/join.html", {"meeting": meeting, "join": context})


def guest_join(request, token):
    guest = services.guest_from_link(token)
    if guest is None:
        raise Http404
    try:
        context = services.guest_join_context(guest=guest)
    except services.JoinRefused as refusal:
        return _refused(request, guest.meeting, refusal, guest.meeting.time_zone)
    services.record_portal_join(join=context, guest=guest)
    return render(
        request, "meetings/join.html", {"meeting": guest.meeting, "join": context}
    )


@login_required
@require_POST
def revoke_guest(request, meeting_uuid, guest_uuid):
    meeting = _hosted_meeting(request, meeting_uuid)
    guest = get_object_or_404(Guest, meeting=meeting, uuid=guest_uuid)
    services.revoke_guest_link(guest=guest)
    messages.success(request, _("The guest's link no longer works."))
    return redirect("meetings:detail", meeting.uuid)


@login_required
@require_POST
def cancel(request, meeting_uuid):
    meeting = _hosted_meeting(request, meeting_uuid)
    services.cancel_meeting(meeting=meeting)
    messages.success(request, _("The meeting was cancelled and everyone was told."))
    return redirect("meetings:detail", meeting.uuid)


@login_required
@require_POST
def end(request, meeting_uuid):
    meeting = _hosted_meeting(request, meeting_uuid)
    services.end_meeting(meeting=meeting)
    messages.success(request, _("The meeting was ended; nobody can join it now."))
    return redirect("meetings:detail", meeting.uuid)


@login_required
@require_POST
def cancel_occurrence(request, meeting_uuid, occurrence_uuid):
    meeting = _hosted_meeting(request, meeting_uuid)
    occurrence = _occurrence(meeting, occurrence_uuid)
    services.cancel_occurrence(occurrence=occurrence)
    messages.success(request, _("That meeting was cancelled and everyone was told."))
    return redirect("meetings:detail", meeting.uuid)


@login_required
def move_occurrence(request, meeting_uuid, occurrence_uuid):
    meeting = _hosted_meeting(request, meeting_uuid)
    occurrence = _occurrence(meeting, occurrence_uuid)
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


@login_required
def attendance(request, meeting_uuid, occurrence_uuid):
    meeting = _hosted_meeting(request, meeting_uuid)
    occurrence = _occurrence(meeting, occurrence_uuid)
    report = services.attendance_report(occurrence=occurrence)
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="attendance-{occurrence.uuid}.csv"'
        )
        writer = csv.writer(response)
        writer.writerow(["name", "email", "joined", "left", "total_minutes"])
        for presence in report:
            for joined, left in presence.intervals or [(None, None)]:
                writer.writerow(
                    [
                        _csv_safe(presence.name),
                        _csv_safe(presence.email),
                        joined.isoformat() if joined else "",
                        left.isoformat() if left else "",
                        presence.minutes,
                    ]
                )
        return response
    return _render_local(
        request,
        request.user.time_zone,
        "meetings/attendance.html",
        {"meeting": meeting, "occurrence": occurrence, "report": report},
    )


def _csv_safe(value: str) -> str:
    # Spreadsheets run cells that start with these as formulas.
    return f"'{value}" if value[:1] in ("=", "+", "-", "@") else value


@login_required
def minutes(request, meeting_uuid, occurrence_uuid):
    meeting = _meeting_for(request, meeting_uuid)
    occurrence = _occurrence(meeting, occurrence_uuid)
    is_host = meeting.is_host(request.user)
    existing = getattr(occurrence, "minutes", None)
    minutes_form = MinutesForm(initial={"text": existing.text if existing else ""})
    action_form = ActionItemForm(participants=meeting.participants())
    status = 200
    if request.method == "POST":
        if not is_host:
            raise Http404
        if "save_minutes" in request.POST:
            minutes_form = MinutesForm(request.POST)
            if minutes_form.is_valid():
                services.save_minutes(
                    occurrence=occurrence,
                    author=request.user,
                    text=minutes_form.cleaned_data["text"],
                )
                messages.success(request, _("The minutes were saved."))
                return redirect("meetings:minutes", meeting.uuid, occurrence.uuid)
        else:
            action_form = ActionItemForm(
                request.POST, participants=meeting.participants()
            )
            if action_form.is_valid():
                services.add_action_item(
                    occurrence=occurrence, **action_form.cleaned_data
                )
                messages.success(request, _("The action item was added."))
                return redirect("meetings:minutes", meeting.uuid, occurrence.uuid)
        status = 400
    return _render_local(
        request,
        request.user.time_zone,
        "meetings/minutes.html",
        {
            "meeting": meeting,
            "occurrence": occurrence,
            "minutes": existing,
            "actions": occurrence.action_items.select_related("owner"),
            "is_host": is_host,
            "minutes_form": minutes_form,
            "action_form": action_form,
        },
        status=status,
    )


@login_required
@require_POST
def toggle_action(request, meeting_uuid, action_uuid):
    meeting = _meeting_for(request, meeting_uuid)
    item = get_object_or_404(ActionItem, uuid=action_uuid, occurrence__meeting=meeting)
    if not (meeting.is_host(request.user) or item.owner_id == request.user.pk):
        raise Http404
    services.set_action_done(item=item, done=not item.done)
    return redirect("meetings:minutes", meeting.uuid, item.occurrence.uuid)


@login_required
def calendar_settings(request):
    if request.method == "POST":
        services.regenerate_feed_secret(user=request.user)
        messages.success(
            request,
            _("Your calendar address was replaced; the old one no longer works."),
        )
        return redirect("meetings:calendar")
    feed = services.feed_for(request.user)
    url = request.build_absolute_uri(f"/meetings/calendar/{feed.secret}.ics")
    return render(request, "meetings/calendar.html", {"feed_url": url})


def calendar_feed(request, secret: str):
    feed = CalendarFeed.objects.select_related("user").filter(secret=secret).first()
    if feed is None or not feed.user.is_active:
        raise Http404
    body = services.feed_calendar(user=feed.user)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response


@csrf_exempt
@require_POST
def jitsi_events(request, rest: str = ""):
    """Prosody event-sync webhooks: shared secret, then applied at most once."""
    secret = settings.JITSI_WEBHOOK_SECRET
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not secret or not hmac.compare_digest(given.encode(), secret.encode()):
        return JsonResponse({"error": "forbidden"}, status=403)
    try:
        payload = json.loads(request.body)
        changed = services.record_room_event(payload=payload)
    except (ValueError, jitsi.BadEvent):
        return JsonResponse({"error": "malformed event"}, status=400)
    return JsonResponse({"applied": changed})
