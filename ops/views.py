from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

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
