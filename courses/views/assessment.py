"""Post-test, evaluation and credit-claim pages of an enrolment."""

import uuid

from django.contrib import messages
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from courses import services
from courses.forms import ClaimForm, EvaluationForm
from courses.models import CreditType
from courses.services import CourseRuleError
from courses.services.credit import allowed_amounts, eligible_credit_types, live_cap
from courses.services.post_test import (
    answers_revealed,
    attempt_review,
    attempts_left,
    has_passed,
    lectures_complete,
    new_form_token,
    shuffled_questions,
)
from courses.views.common import enrolment_view, refuse, to_enrolment

ANSWER_PREFIX = "q-"


def _answers(post) -> dict[str, list[str]]:
    return {
        key.removeprefix(ANSWER_PREFIX): post.getlist(key)
        for key in post
        if key.startswith(ANSWER_PREFIX)
    }


def _post_test_context(enrolment) -> dict:
    return {
        "enrolment": enrolment,
        "activity": enrolment.activity,
        "unlocked": lectures_complete(enrolment),
        "passed": has_passed(enrolment),
        "attempts": enrolment.attempts.all(),
        "attempts_left": attempts_left(enrolment),
    }


@enrolment_view()
def post_test(request, enrolment):
    if not enrolment.activity.question_blocks:
        return to_enrolment(enrolment)
    if request.method == "POST":
        try:
            token = uuid.UUID(request.POST.get("token", ""))
        except ValueError:
            return HttpResponseBadRequest(_("This form is out of date; reload it."))
        try:
            attempt = services.submit_post_test(
                enrolment=enrolment, token=token, answers=_answers(request.POST)
            )
        except CourseRuleError as error:
            if error.code in {"unanswered", "one_answer"}:
                refuse(request, error)
                context = _post_test_context(enrolment)
                context.update(
                    questions=shuffled_questions(enrolment),
                    token=token,
                    chosen=_answers(request.POST),
                )
                return render(request, "courses/post_test.html", context, status=400)
            return render(
                request,
                "courses/refused.html",
                {"enrolment": enrolment, "message": error.message},
                status=error.status,
            )
        return redirect("courses:attempt", enrolment.uuid, attempt.uuid)
    context = _post_test_context(enrolment)
    if context["unlocked"] and not context["passed"] and context["attempts_left"]:
        context.update(questions=shuffled_questions(enrolment), token=new_form_token())
    return render(request, "courses/post_test.html", context)


@enrolment_view()
def attempt(request, enrolment, attempt_uuid):
    found = get_object_or_404(enrolment.attempts, uuid=attempt_uuid)
    return render(
        request,
        "courses/attempt.html",
        {
            "enrolment": enrolment,
            "activity": enrolment.activity,
            "attempt": found,
            "review": attempt_review(found),
            "revealed": answers_revealed(enrolment),
            "attempts_left": attempts_left(enrolment),
        },
    )


@enrolment_view()
def evaluation(request, enrolment):
    if hasattr(enrolment, "evaluation"):
        messages.info(
            request, _("You have already evaluated this activity. Thank you.")
        )
        return to_enrolment(enrolment)
    form = EvaluationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.submit_evaluation(enrolment=enrolment, **form.cleaned_data)
            except CourseRuleError as error:
                refuse(request, error)
                return to_enrolment(enrolment)
            messages.success(request, _("Thank you for your evaluation."))
            return redirect("courses:claim", enrolment.uuid)
        status = 400
    return render(
        request,
        "courses/evaluation.html",
        {
            "enrolment": enrolment,
            "activity": enrolment.activity,
            "form": form,
            "unlocked": has_passed(enrolment),
        },
        status=status,
    )


@enrolment_view()
def claim(request, enrolment):
    activity = enrolment.activity
    designations = {d.credit_type: d for d in activity.designations.all()}
    claimed = {c.credit_type for c in enrolment.claims.all()}
    choices = [
        (kind, CreditType(kind).label)
        for kind in eligible_credit_types(enrolment)
        if kind not in claimed
    ]
    form = ClaimForm(
        request.POST or None,
        amounts_by_type={
            (kind, label): allowed_amounts(enrolment, kind) for kind, label in choices
        },
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                granted = services.claim_credit(
                    enrolment=enrolment,
                    credit_type=form.cleaned_data["credit_type"],
                    amount=form.cleaned_data["amount"],
                    attested=form.cleaned_data["attested"],
                )
            except CourseRuleError as error:
                form.add_error(None, error.message)
                status = error.status
            else:
                messages.success(
                    request,
                    _("You claimed %(amount)s %(credit)s.")
                    % {
                        "amount": granted.amount,
                        "credit": granted.get_credit_type_display(),
                    },
                )
                return redirect("courses:dashboard")
    return render(
        request,
        "courses/claim.html",
        {
            "enrolment": enrolment,
            "activity": activity,
            "form": form,
            "designations": [designations[kind] for kind, _label in choices],
            "cap": live_cap(enrolment),
            "claims": enrolment.claims.all(),
            "terminated": activity.is_terminated(),
        },
        status=status,
    )
