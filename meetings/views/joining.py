"""The join pages: signed-in participants and outside guests."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from meetings import services
from meetings.models import Meeting
from meetings.views.common import render_local


def _refused(
    request, meeting: Meeting | None, refusal: services.JoinRefused, zone: str
):
    return render_local(
        request,
        zone,
        "meetings/not_open.html",
        {"meeting": meeting, "refusal": refusal, "next_start": refusal.next_start},
        status=403,
    )


@login_required
def join(request, meeting_uuid):
    # Visit rooms are entered only through the visit's waiting room (visits app).
    meeting = get_object_or_404(Meeting.objects.on_portal(), uuid=meeting_uuid)
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
