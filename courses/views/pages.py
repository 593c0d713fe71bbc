"""How Wagtail serves activity and lecture pages (the learner-facing front doors)."""

from django.template.response import TemplateResponse


def serve_activity(request, activity):
    return TemplateResponse(
        request, "courses/activity_page.html", activity.get_context(request)
    )


def serve_lecture(request, lecture):
    return TemplateResponse(
        request, "courses/lecture_page.html", lecture.get_context(request)
    )
