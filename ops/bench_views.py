"""Bare Django views that benchmarks compare our pages against, in the same server.

Mounted only when BENCHMARK_ENDPOINTS=1 (bench/ scripts set it); never in production.
"""

from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST


@require_GET
def bare_get(request):
    return HttpResponse("ok", content_type="text/plain")


@csrf_exempt
@require_POST
def bare_post(request):
    return HttpResponse(request.body[:2], content_type="text/plain")
