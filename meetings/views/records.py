"""After a meeting: attendance report (page and CSV), minutes and action items."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.services import write_csv
from meetings import services
from meetings.forms import ActionItemForm, MinutesForm
from meetings.models import ActionItem
from meetings.views.common import (
    hosted_meeting,
    occurrence_for,
    recordable_meeting,
    render_local,
)


@login_required
def attendance(request, meeting_uuid, occurrence_uuid):
    meeting = hosted_meeting(request, meeting_uuid)
    occurrence = occurrence_for(meeting, occurrence_uuid)
    report = services.attendance_report(occurrence=occurrence)
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="attendance-{occurrence.uuid}.csv"'
        )
        write_csv(
            response,
            ["name", "email", "joined", "left", "total_minutes"],
            (
                [
                    presence.name,
                    presence.email,
                    joined.isoformat() if joined else "",
                    left.isoformat() if left else "",
                    presence.minutes,
                ]
                for presence in report
                for joined, left in presence.intervals or [(None, None)]
            ),
        )
        return response
    return render_local(
        request,
        request.user.time_zone,
        "meetings/attendance.html",
        {"meeting": meeting, "occurrence": occurrence, "report": report},
    )


@login_required
def minutes(request, meeting_uuid, occurrence_uuid):
    meeting = recordable_meeting(request, meeting_uuid)
    occurrence = occurrence_for(meeting, occurrence_uuid)
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
    return render_local(
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
    meeting = recordable_meeting(request, meeting_uuid)
    item = get_object_or_404(ActionItem, uuid=action_uuid, occurrence__meeting=meeting)
    if not (meeting.is_host(request.user) or item.owner_id == request.user.pk):
        raise Http404
    services.set_action_done(item=item, done=not item.done)
    return redirect("meetings:minutes", meeting.uuid, item.occurrence.uuid)
