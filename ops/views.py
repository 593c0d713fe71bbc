import json

from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ops.phone_app import CACHE_VERSION, manifest_for, shell_urls
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
