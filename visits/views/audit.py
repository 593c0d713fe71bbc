"""The audit log for auditors, the patient's own access log, break-glass review."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services import zone_of
from visits.access import refuse, role_allows
from visits.audit import access_log_for, record_event, record_export
from visits.audit_search import EXPORT_LIMIT, events_csv, search_events
from visits.errors import VisitsError
from visits.forms import AuditSearchForm, ReviewForm
from visits.models import AuditEvent, BreakGlassGrant
from visits.services.sharing import review_break_glass
from visits.views.common import post_only


@login_required
def access_log(request):
    """A patient sees who looked at their record (refused attempts included)."""
    return render(
        request,
        "visits/access_log.html",
        {
            "entries": access_log_for(request.user),
            "viewer_zone": zone_of(request.user).key,
        },
    )


def _log(request, what: str, *, patient=None, write: bool = False) -> None:
    """Auditors' own looks at PHI (names, reasons) are audited like anyone's."""
    record_event(
        actor=request.user,
        action=AuditEvent.Action.WRITE
        if write and request.method == "POST"
        else AuditEvent.Action.READ,
        what=what,
        patient=patient,
        request=request,
    )


def _require(request, permission: str, what: str) -> None:
    if not role_allows(request.user, permission):
        raise refuse(request, what=what)


_AUDIT_SEARCH_KEY = "visits_audit_search"
AUDIT_EVENTS_PER_PAGE = 50


@login_required
def audit_search(request):
    """Search criteria name patients, so they travel by POST and live in the session,
    never in the query string (access logs and browser history keep URLs). The
    export button posts too, and exports exactly what the search shows."""
    _require(request, "visits.search_audit", "audit_log")
    if request.method == "POST" and "export" not in request.POST:
        form = AuditSearchForm(request.POST)
        if form.is_valid():
            request.session[_AUDIT_SEARCH_KEY] = form.criteria()
            return redirect("visits:audit")
    else:
        form = AuditSearchForm(request.session.get(_AUDIT_SEARCH_KEY) or {})
    events = AuditEvent.objects.none()
    if form.is_valid():
        events = search_events(**form.cleaned_data, zone=request.user)
    if request.method == "POST" and "export" in request.POST:
        return _export(request, events)
    page = Paginator(events, AUDIT_EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    _log(request, "audit_log")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "visits/audit_search.html",
        {
            "form": form,
            "page": page,
            "time_zone_name": request.user.time_zone,
        },
        status=status,
    )


def _export(request, events):
    rows = list(events[:EXPORT_LIMIT])
    record_export(
        actor=request.user,
        what="audit_log_export",
        patients=[event.patient for event in rows if event.patient],
        request=request,
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(
        events_csv(rows, zone=request.user), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="audit-log-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def break_glass_queue(request):
    _require(request, "visits.review_break_glass", "break_glass_review")
    grants = BreakGlassGrant.objects.filter(reviewed_at__isnull=True).select_related(
        "user", "patient"
    )
    for found in grants:
        _log(request, "break_glass_review", patient=found.patient)
    return render(
        request,
        "visits/break_glass_queue.html",
        {"grants": grants, "form": ReviewForm()},
    )


@login_required
def break_glass_review(request, grant):
    _require(request, "visits.review_break_glass", "break_glass_review")
    found = BreakGlassGrant.objects.filter(uuid=grant).first()
    if found is None:
        raise refuse(request, what="break_glass_review")
    _log(request, "break_glass_review", patient=found.patient, write=True)
    if response := post_only(request):
        return response
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please write a review note."))
        return redirect("visits:break_glass_queue")
    try:
        review_break_glass(
            grant=found, reviewer=request.user, note=form.cleaned_data["note"]
        )
    except VisitsError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The review was recorded."))
    return redirect("visits:break_glass_queue")
