"""Learner pages: catalogue, dashboard, enrolment, disclosure gate, lecture player."""

import math

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.services import BodyRefused, refusal_json, request_json
from courses import selectors, services
from courses.forms import AcknowledgeForm, CodeWordForm
from courses.models import ActivityPage, LecturePage
from courses.services import CourseRuleError
from courses.services.enrolment import current_disclosure
from courses.services.post_test import attempts_left, has_passed
from courses.views.common import enrolment_view, refuse, to_enrolment


def catalogue(request):
    return render(
        request,
        "courses/catalogue.html",
        {"activities": ActivityPage.catalogue()},
    )


@login_required
def dashboard(request):
    return render(
        request,
        "courses/dashboard.html",
        {
            "items": selectors.dashboard_enrolments(request.user),
            "credits": selectors.credits_this_year(request.user),
        },
    )


@login_required
@require_POST
def enrol(request, activity_uuid):
    activity = get_object_or_404(ActivityPage.objects.live(), uuid=activity_uuid)
    enrolment = services.enrol(learner=request.user, activity=activity)
    return to_enrolment(enrolment)


@enrolment_view()
def enrolment_home(request, enrolment):
    rows = selectors.enrolment_lecture_rows(enrolment)
    activity = enrolment.activity
    return render(
        request,
        "courses/enrolment.html",
        {
            "enrolment": enrolment,
            "activity": activity,
            "lectures": rows,
            "percent": 100
            if enrolment.is_complete
            else selectors.activity_percent(rows),
            "lectures_complete": all(row["complete"] for row in rows),
            "has_post_test": bool(activity.question_blocks),
            "passed": has_passed(enrolment),
            "attempts_left": attempts_left(enrolment),
            "evaluated": hasattr(enrolment, "evaluation"),
            "claims": enrolment.claims.all(),
            "code_word_form": CodeWordForm() if activity.code_word else None,
        },
    )


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    # Only a path on this site: redirect() would take a bare word such as "home"
    # for a URL name and answer 500 when it does not resolve.
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@enrolment_view(gate=False)
def gate(request, enrolment):
    activity = enrolment.activity
    version, _text = current_disclosure(activity)
    form = AcknowledgeForm(
        request.POST or None, initial={"disclosure_version": version}
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.acknowledge_disclosure(
                    enrolment=enrolment,
                    disclosure_version=form.cleaned_data["disclosure_version"],
                )
            except CourseRuleError as error:
                refuse(request, error)
                return redirect(request.get_full_path())
            fallback = reverse("courses:enrolment", args=[enrolment.uuid])
            return redirect(_safe_next(request, fallback))
        status = 400
    return render(
        request,
        "courses/gate.html",
        {
            "enrolment": enrolment,
            "activity": activity,
            "people": activity.disclosure_people(),
            "designations": activity.designations.all(),
            "form": form,
            "next": request.GET.get("next", ""),
        },
        status=status,
    )


@enrolment_view()
def lecture(request, enrolment, lecture_uuid):
    lecture = get_object_or_404(
        LecturePage.objects.live()
        .child_of(enrolment.activity)
        .select_related("video", "slides"),
        uuid=lecture_uuid,
    )
    progress = services.open_lecture(enrolment=enrolment, lecture=lecture)
    siblings = list(
        LecturePage.objects.live().child_of(enrolment.activity).order_by("path")
    )
    position = [s.pk for s in siblings].index(lecture.pk)
    return render(
        request,
        "courses/lecture.html",
        {
            "enrolment": enrolment,
            "activity": enrolment.activity,
            "lecture": lecture,
            "progress": progress,
            "percent": selectors.percent(
                progress.watched_seconds, lecture.duration_seconds
            ),
            "previous": siblings[position - 1] if position else None,
            "next": siblings[position + 1] if position + 1 < len(siblings) else None,
            "report_seconds": settings.COURSES_PROGRESS_REPORT_SECONDS,
        },
    )


# A report holds at most 100 [start, end] pairs; 16 KB leaves room for long floats.
PROGRESS_MAX_BYTES = 16 * 1024


def _segments(request) -> list[tuple[float, float]]:
    data = request_json(request, max_bytes=PROGRESS_MAX_BYTES)
    segments = data["segments"]
    if not isinstance(segments, list) or len(segments) > 100:
        raise ValueError("segments must be a short list")
    parsed = []
    for start, end in segments:
        if not all(isinstance(v, int | float) for v in (start, end)):
            raise ValueError("segment bounds must be numbers")
        if not all(math.isfinite(v) for v in (start, end)):
            raise ValueError("segment bounds must be finite")
        parsed.append((float(start), float(end)))
    return parsed


@require_POST
def progress(request, enrolment_uuid, lecture_uuid):
    """The player's report of watched segments: JSON in, JSON out."""
    if not request.user.is_authenticated:
        return JsonResponse({"error": _("Please sign in again.")}, status=403)
    try:
        segments = _segments(request)
    except BodyRefused as exc:
        return refusal_json(exc)
    except (ValueError, KeyError, TypeError, OverflowError):
        return JsonResponse(
            {"error": _("The progress report was not understood.")}, status=400
        )
    saved = services.report_progress(
        learner=request.user,
        enrolment_uuid=enrolment_uuid,
        lecture_uuid=lecture_uuid,
        segments=segments,
    )
    if saved is None:
        return JsonResponse(
            {"error": _("Open this lecture from your enrolment first.")}, status=404
        )
    return JsonResponse(
        {
            "watched_seconds": round(saved.watched_seconds, 1),
            "percent": selectors.percent(
                saved.watched_seconds, saved.lecture.duration_seconds
            ),
            "complete": saved.completed_at is not None,
        }
    )


@require_POST
@enrolment_view()
def attendance(request, enrolment):
    form = CodeWordForm(request.POST)
    if form.is_valid():
        try:
            services.confirm_code_word(
                enrolment=enrolment, code_word=form.cleaned_data["code_word"]
            )
            messages.success(request, _("Your attendance was recorded."))
        except CourseRuleError as error:
            refuse(request, error)
    else:
        messages.error(request, _("Enter the code word announced in the session."))
    return to_enrolment(enrolment)
