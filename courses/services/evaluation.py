"""The learner's evaluation of an activity and the coordinator's summary of them.

Called by courses' evaluation view and the coordinator's admin report.
"""

from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Q
from django.utils.translation import gettext as _

from courses.models import ActivityPage, Enrolment, Evaluation
from courses.services.errors import CourseRuleError
from courses.services.post_test import has_passed


def submit_evaluation(
    *,
    enrolment: Enrolment,
    objectives_met: int,
    relevance: int,
    quality: int,
    free_of_bias: bool,
    comments: str,
    commitment_to_change: str,
) -> Evaluation:
    """Store the evaluation once the post-test is passed; only one per enrolment."""
    if not has_passed(enrolment):
        raise CourseRuleError(
            "evaluation_locked",
            _("The evaluation opens once you have passed the post-test."),
            status=403,
        )
    try:
        with transaction.atomic():
            return Evaluation.objects.create(
                enrolment=enrolment,
                objectives_met=objectives_met,
                relevance=relevance,
                quality=quality,
                free_of_bias=free_of_bias,
                comments=comments.strip(),
                commitment_to_change=commitment_to_change.strip(),
            )
    except IntegrityError:
        raise CourseRuleError(
            "already_evaluated",
            _("You have already evaluated this activity. Thank you."),
            status=409,
        ) from None


def evaluation_summary(activity: ActivityPage) -> dict:
    """Averages, bias reports and every free-text answer for one activity."""
    evaluations = Evaluation.objects.filter(enrolment__activity=activity)
    figures = evaluations.aggregate(
        count=Count("pk"),
        objectives_met=Avg("objectives_met"),
        relevance=Avg("relevance"),
        quality=Avg("quality"),
        bias_reported=Count("pk", filter=Q(free_of_bias=False)),
    )
    texts = list(
        evaluations.order_by("-submitted_at").values(
            "comments", "commitment_to_change", "submitted_at"
        )
    )
    return {
        **figures,
        "ratings": [
            (Evaluation._meta.get_field(name).verbose_name, figures[name])
            for name in Evaluation.RATING_FIELDS
        ],
        "commitments": [row["commitment_to_change"] for row in texts],
        "comments": [row["comments"] for row in texts if row["comments"]],
    }
