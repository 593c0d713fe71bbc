import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.services import BodyRefused, Role, refusal_json, request_json
from notifications.models import PushSubscription
from notifications.services import (
    application_server_key,
    remove_subscription,
    save_subscription,
)
from ops.phone_app import CACHE_VERSION, manifest_for, shell_urls, topic_choices_for
from ops.services import run_health_checks
from ops.staff_home import panels_for


@never_cache
@require_GET
def healthz(request):
    report = run_health_checks()
    return JsonResponse(report, status=200 if report["status"] == "ok" else 503)


@login_required
@require_GET
def staff_home(request):
    """ "My work": each staff role's panels (ops.staff_home); not for patients."""
    if not request.user.is_staff_role:
        raise Http404
    return render(request, "ops/staff_home.html", {"panels": panels_for(request.user)})


@require_GET
def web_manifest(request):
    # Fetched with the person's cookies (crossorigin="use-credentials" in
    # base.html), so the start URL fits who installs the app.
    response = JsonResponse(
        manifest_for(request.user), content_type="application/manifest+json"
    )
    patch_cache_control(response, private=True, no_cache=True)
    return response


@require_GET
def service_worker(request):
    response = render(
        request,
        "ops/service_worker.js",
        {"cache_version": CACHE_VERSION, "shell_urls_json": json.dumps(shell_urls())},
        content_type="text/javascript",
    )
    # Browsers check for a new worker on each visit; never let a cache hide one.
    patch_cache_control(response, no_cache=True, max_age=0)
    return response


@require_GET
def offline(request):
    """The page the app shows for a page it cannot reach and may not keep."""
    return render(request, "ops/offline.html")


# --- Notifications on this device (#17) -------------------------------------------
# The page works with notifications.js: the browser makes the push subscription,
# these JSON endpoints store it. Same-origin fetches with the CSRF token.
_SUBSCRIPTION_MAX_BYTES = 8_000


def _json_error(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def _endpoint_of(data) -> str:
    endpoint = data.get("endpoint") if isinstance(data, dict) else None
    return endpoint if isinstance(endpoint, str) else ""


@require_GET
def notification_settings(request):
    devices = []
    if request.user.is_authenticated:
        devices = request.user.push_subscriptions.prefetch_related("topics")
    return render(
        request,
        "ops/notifications.html",
        {
            "choices": topic_choices_for(request.user),
            "application_server_key": application_server_key(),
            "devices": devices,
            "is_patient": request.user.is_authenticated
            and request.user.has_role(Role.PATIENT),
        },
    )


@require_POST
def device_state(request):
    """What this browser chose, found by its push endpoint (never put in a URL)."""
    try:
        data = request_json(request, max_bytes=_SUBSCRIPTION_MAX_BYTES)
    except BodyRefused as refused:
        return refusal_json(refused)
    subscription = PushSubscription.objects.filter(endpoint=_endpoint_of(data)).first()
    if subscription is None or (
        subscription.user_id and subscription.user_id != request.user.pk
    ):
        return JsonResponse({"subscribed": False, "topics": []})
    return JsonResponse(
        {
            "subscribed": True,
            "topics": list(subscription.topics.values_list("name", flat=True)),
            "show_medicine_names": subscription.show_medicine_names,
        }
    )


@require_POST
def subscribe_device(request):
    try:
        data = request_json(request, max_bytes=_SUBSCRIPTION_MAX_BYTES)
        subscription = data["subscription"]
        keys = subscription["keys"]
        save_subscription(
            user=request.user,
            endpoint=subscription["endpoint"],
            p256dh=keys["p256dh"],
            auth=keys["auth"],
            topics=data["topics"],
            allowed_topics=[topic for topic, _label in topic_choices_for(request.user)],
            device_label=str(data.get("device_label") or ""),
            show_medicine_names=data.get("show_medicine_names") is True,
        )
    except BodyRefused as refused:
        return refusal_json(refused)
    except ValidationError as invalid:
        return _json_error(" ".join(invalid.messages))
    except (KeyError, TypeError, AttributeError):
        return _json_error(gettext("This browser sent an incomplete subscription."))
    return JsonResponse(
        {
            "message": gettext(
                "Notifications are on for this device. Your choices are saved."
            )
        }
    )


@require_POST
def unsubscribe_device(request):
    try:
        data = request_json(request, max_bytes=_SUBSCRIPTION_MAX_BYTES)
    except BodyRefused as refused:
        return refusal_json(refused)
    subscription = PushSubscription.objects.filter(endpoint=_endpoint_of(data)).first()
    if subscription is not None and subscription.user_id in {None, request.user.pk}:
        remove_subscription(subscription=subscription)
    return JsonResponse({"message": gettext("Notifications are off for this device.")})


@login_required
@require_POST
def remove_device(request, uuid):
    subscription = get_object_or_404(PushSubscription, uuid=uuid, user=request.user)
    remove_subscription(subscription=subscription)
    messages.success(request, gettext("That device will get no more notifications."))
    return redirect("notification_settings")
