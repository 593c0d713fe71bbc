"""Machine endpoints: the personal calendar feed and Jitsi's event-sync webhook."""

import hmac

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from accounts.services import BodyRefused, refusal_json, request_json
from meetings import jitsi, services
from meetings.models import CalendarFeed


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
    url = request.build_absolute_uri(
        reverse("meetings:calendar_feed", args=[feed.secret])
    )
    return render(request, "meetings/calendar.html", {"feed_url": url})


def calendar_feed(request, secret: str):
    feed = CalendarFeed.objects.select_related("user").filter(secret=secret).first()
    if feed is None or not feed.user.is_active:
        raise Http404
    body = services.feed_calendar(user=feed.user)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response


# One event-sync event is a few hundred bytes; 64 KB is generous.
WEBHOOK_MAX_BYTES = 64 * 1024


@csrf_exempt
@require_POST
def jitsi_events(request, rest: str = ""):
    """Prosody event-sync webhooks: shared secret, then applied at most once."""
    secret = settings.JITSI_WEBHOOK_SECRET
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not secret or not hmac.compare_digest(given.encode(), secret.encode()):
        return JsonResponse({"error": "forbidden"}, status=403)
    try:
        payload = request_json(request, max_bytes=WEBHOOK_MAX_BYTES)
        changed = services.record_room_event(payload=payload)
    except BodyRefused as exc:
        return refusal_json(exc)
    except (ValueError, jitsi.BadEvent):
        return JsonResponse({"error": "malformed event"}, status=400)
    return JsonResponse({"applied": changed})
