"""What every enrolment view shares: whose enrolment it is, and the disclosure gate."""

import functools
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from courses.models import Enrolment
from courses.services import CourseRuleError, has_passed_gate


def enrolment_view(*, gate: bool = True):
    """Load the signed-in learner's own enrolment (404 otherwise); gate it if asked.

    A learner who has not acknowledged the current disclosure is sent to the gate,
    which brings them back here afterwards: deep links go through the gate too.
    """

    def decorator(view):
        @login_required
        @functools.wraps(view)
        def wrapper(request, enrolment_uuid, *args, **kwargs):
            enrolment = get_object_or_404(
                Enrolment.objects.select_related("activity", "learner"),
                uuid=enrolment_uuid,
                learner=request.user,
            )
            if gate and not has_passed_gate(enrolment):
                return redirect_to_gate(enrolment, request.get_full_path())
            return view(request, enrolment, *args, **kwargs)

        return wrapper

    return decorator


def redirect_to_gate(enrolment: Enrolment, next_path: str):
    url = reverse("courses:gate", args=[enrolment.uuid])
    return redirect(f"{url}?{urlencode({'next': next_path})}")


def refuse(request, error: CourseRuleError) -> None:
    messages.error(request, error.message)


def to_enrolment(enrolment: Enrolment):
    return redirect("courses:enrolment", enrolment.uuid)
