"""Coordinator reports in the Wagtail admin: enrolments, completions, evaluations,
expired disclosures, the acknowledgement export and the board (PARS) file."""

from django.db.models import Count, Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services import require_permission
from courses import services
from courses.exports import (
    ACKNOWLEDGEMENT_HEADER,
    PARS_HEADER,
    acknowledgement_rows,
    pars_rows,
    to_csv,
)
from courses.models import ActivityPage, ActivityPerson, Enrolment
from courses.models.pages import expired_disclosure_reasons

REPORT_PERMISSION = "courses.view_enrolment"


@require_permission(REPORT_PERMISSION)
def report_index(request):
    today = timezone.localdate()
    activities = (
        ActivityPage.objects.order_by("-release_date", "title")
        .annotate(
            enrolled=Count("enrolments", distinct=True),
            completed=Count(
                "enrolments",
                filter=Q(enrolments__status=Enrolment.Status.COMPLETE),
                distinct=True,
            ),
            evaluated=Count("enrolments__evaluation", distinct=True),
        )
        .prefetch_related(
            Prefetch(
                "people",
                queryset=ActivityPerson.objects.select_related("person"),
            )
        )
    )
    rows = [
        {
            "activity": activity,
            "expired": expired_disclosure_reasons(
                [link.person for link in activity.people.all()], on=today
            ),
        }
        for activity in activities
    ]
    return render(
        request,
        "courses/admin/report_index.html",
        {
            "rows": rows,
            "page_title": _("CME reports"),
            "header_title": _("CME reports"),
            "header_icon": "doc-full",
        },
    )


@require_permission(REPORT_PERMISSION)
def report_detail(request, activity_uuid):
    activity = get_object_or_404(ActivityPage, uuid=activity_uuid)
    enrolments = (
        Enrolment.objects.filter(activity=activity)
        .select_related("learner")
        .prefetch_related("claims")
        .annotate(attempt_count=Count("attempts"))
        .order_by("-enrolled_at")
    )
    reportable, blocked = pars_rows(activity)
    return render(
        request,
        "courses/admin/report_detail.html",
        {
            "activity": activity,
            "enrolments": enrolments,
            "summary": services.evaluation_summary(activity),
            "expired": expired_disclosure_reasons(
                [link.person for link in activity.disclosure_people()]
            ),
            "can_edit": activity.permissions_for_user(request.user).can_edit(),
            "pars_count": len(reportable),
            "pars_late": sum(row[-1] == "yes" for row in reportable),
            "pars_blocked": blocked,
            "page_title": activity.title,
            "page_subtitle": _("CME report"),
            "header_title": _("CME report: %(title)s") % {"title": activity.title},
            "header_icon": "doc-full",
        },
    )


@require_permission(REPORT_PERMISSION)
def acknowledgement_export(request, activity_uuid):
    activity = get_object_or_404(ActivityPage, uuid=activity_uuid)
    return _csv_response(
        to_csv(ACKNOWLEDGEMENT_HEADER, acknowledgement_rows(activity)),
        f"acknowledgements-{activity.slug}.csv",
    )


def _csv_response(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_permission(REPORT_PERMISSION)
def pars_export(request, activity_uuid):
    """The same file as `manage.py export_pars <slug>` (both use courses.exports)."""
    activity = get_object_or_404(ActivityPage, uuid=activity_uuid)
    rows, _blocked = pars_rows(activity)
    return _csv_response(to_csv(PARS_HEADER, rows), f"pars-{activity.slug}.csv")
