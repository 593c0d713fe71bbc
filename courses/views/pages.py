"""How Wagtail serves activity and lecture pages (the learner-facing front doors)."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from courses import selectors


def serve_activity(request, activity):
    context = activity.get_context(request)
    context.update(
        enrolment=selectors.enrolment_for_activity(request.user, activity),
        designations=activity.designations.all(),
        # Disclosures are public: a learner reads them before deciding to enrol.
        people=activity.disclosure_people(),
        lectures=selectors.lectures_by_activity([activity])[activity.pk],
    )
    return TemplateResponse(request, "courses/activity_page.html", context)


def serve_lecture(request, lecture):
    """A deep link to a lecture: through enrolment and the gate to the player."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    activity = lecture.get_parent().specific
    enrolment = selectors.enrolment_for_activity(request.user, activity)
    if enrolment is None:
        messages.info(request, _("Enrol in this activity to watch its lectures."))
        return redirect(activity.url)
    return redirect("courses:lecture", enrolment.uuid, lecture.uuid)
