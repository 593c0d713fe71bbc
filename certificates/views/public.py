"""Public pages: verification by code (no sign-in, rate limited) and the Open Badges
issuer documents."""

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET
from django_ratelimit.decorators import ratelimit

from certificates import badges
from certificates.codes import normalise_code
from certificates.forms import VerifyCodeForm
from certificates.verification import find_by_code, public_record


def _verify_rate(group, request) -> str:
    return settings.CERTIFICATES_VERIFY_RATE


def _too_many(request, *, as_json: bool) -> HttpResponse:
    message = _("Too many verification requests. Please wait a minute and try again.")
    if as_json:
        return JsonResponse({"error": message}, status=429)
    return render(
        request, "certificates/too_many.html", {"message": message}, status=429
    )


def _lookup(code: str):
    record = find_by_code(code)
    if record is None:
        # The same 404 for garbage, unknown codes and anything else.
        raise Http404
    return record


@require_GET
@ratelimit(key="ip", rate=_verify_rate, group="certificates.verify", block=False)
def verify_index(request):
    form = VerifyCodeForm(request.GET or None)
    if getattr(request, "limited", False):
        return _too_many(request, as_json=False)
    if form.is_valid():
        return redirect("certificates:verify", code=form.cleaned_data["code"])
    return render(request, "certificates/verify_index.html", {"form": form})


@require_GET
@never_cache
@ratelimit(key="ip", rate=_verify_rate, group="certificates.verify", block=False)
def verify(request, code: str):
    if getattr(request, "limited", False):
        return _too_many(request, as_json=False)
    record = find_by_code(code)
    if record is None:
        # Still a 404 (nothing exists here), but a page that says what to check
        # and lets the person type the code again.
        return render(
            request,
            "certificates/verify_unknown.html",
            {"code": code[:40], "form": VerifyCodeForm()},
            status=404,
        )
    if code != record.code:
        return redirect("certificates:verify", code=record.code)
    return render(
        request, "certificates/verify.html", {"record": public_record(record)}
    )


@require_GET
@never_cache
@ratelimit(key="ip", rate=_verify_rate, group="certificates.verify", block=False)
def verify_json(request, code: str):
    if getattr(request, "limited", False):
        return _too_many(request, as_json=True)
    if normalise_code(code) is None:
        raise Http404
    record = _lookup(code)
    return JsonResponse(
        public_record(record), json_dumps_params={"ensure_ascii": False}
    )


@require_GET
@cache_control(max_age=3600, public=True)
def issuer(request):
    return JsonResponse(badges.issuer_profile(), content_type="application/ld+json")


@require_GET
@cache_control(max_age=3600, public=True)
def jwks(request):
    return JsonResponse(badges.public_jwks())


@require_GET
@cache_control(max_age=300, public=True)
def revocation_list(request):
    return HttpResponse(
        badges.revocation_list_jwt(now=timezone.now()),
        content_type="application/vc+jwt",
    )
