"""A learner's path: enrolment, gate, progress, test, evaluation, credit."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from courses.models.credit import CreditType
from courses.models.pages import ActivityPage, LecturePage


class EnrolmentQuerySet(models.QuerySet):
    def for_learner(self, learner):
        return self.filter(learner=learner)


class Enrolment(models.Model):
    """One learner taking one activity."""

    class Status(models.TextChoices):
        # Enrolled: working through the gate, lectures, post-test and evaluation.
        ENROLLED = "enrolled", _("In progress")
        # Complete: credit has been claimed; the enrolment is finished.
        COMPLETE = "complete", _("Complete")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments"
    )
    activity = models.ForeignKey(
        ActivityPage, on_delete=models.PROTECT, related_name="enrolments"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ENROLLED
    )
    enrolled_at = models.DateTimeField(_("enrolled at"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    # Live activities: the code word was confirmed during the session window.
    code_word_confirmed_at = models.DateTimeField(null=True, blank=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        ordering = ["-enrolled_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "activity"], name="one_enrolment_per_activity"
            )
        ]

    def __str__(self) -> str:
        return f"{self.learner} in {self.activity}"

    @property
    def is_complete(self) -> bool:
        return self.status == self.Status.COMPLETE


class DisclosureAcknowledgement(models.Model):
    """The learner saw this exact disclosure text at this time and acknowledged it."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="acknowledgements"
    )
    disclosure_version = models.CharField(max_length=64)
    disclosure_text = models.TextField()
    acknowledged_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-acknowledged_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "disclosure_version"],
                name="one_acknowledgement_per_version",
            )
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} acknowledged {self.disclosure_version}"


class LectureProgress(models.Model):
    """Unique watched intervals of one lecture by one enrolled learner."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="progress"
    )
    lecture = models.ForeignKey(
        LecturePage, on_delete=models.CASCADE, related_name="progress"
    )
    # Sorted, non-overlapping [start, end] pairs in seconds of media time.
    intervals = models.JSONField(default=list)
    watched_seconds = models.FloatField(default=0)
    last_report_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "lecture"], name="one_progress_per_lecture"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enrolment}: {self.lecture} {self.watched_seconds:.0f}s"


class PostTestAttempt(models.Model):
    """One submitted post-test; every attempt is kept."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="attempts"
    )
    number = models.PositiveSmallIntegerField()
    # The form's one-time token: a double submission of the same form is one attempt.
    token = models.UUIDField()
    answers = models.JSONField(default=dict)
    question_count = models.PositiveSmallIntegerField()
    correct_count = models.PositiveSmallIntegerField()
    score_percent = models.PositiveSmallIntegerField()
    passed = models.BooleanField()
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "number"], name="attempt_numbers_unique"
            ),
            models.UniqueConstraint(
                fields=["enrolment", "token"], name="attempt_token_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} attempt {self.number}: {self.score_percent}%"


class Evaluation(models.Model):
    """The learner's evaluation of the activity; required before credit."""

    RATING_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]

    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.CASCADE, related_name="evaluation"
    )
    objectives_met = models.PositiveSmallIntegerField(
        _("The activity met its stated learning objectives."),
        validators=RATING_VALIDATORS,
    )
    relevance = models.PositiveSmallIntegerField(
        _("The content was relevant to my practice."), validators=RATING_VALIDATORS
    )
    quality = models.PositiveSmallIntegerField(
        _("The faculty presented the content effectively."),
        validators=RATING_VALIDATORS,
    )
    free_of_bias = models.BooleanField(
        _("The content was free of commercial bias."), default=True
    )
    comments = models.TextField(_("Comments"), blank=True)
    commitment_to_change = models.TextField(
        _("What will you change in your practice as a result of this activity?")
    )
    submitted_at = models.DateTimeField(auto_now_add=True)

    RATING_FIELDS = ("objectives_met", "relevance", "quality")

    def __str__(self) -> str:
        return f"Evaluation of {self.enrolment}"


class CreditClaim(models.Model):
    """Credit a learner attested to and claimed; completes the enrolment."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.PROTECT, related_name="claims"
    )
    credit_type = models.CharField(
        _("credit type"), max_length=32, choices=CreditType.choices
    )
    amount = models.DecimalField(
        _("amount"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    claimed_at = models.DateTimeField(_("claimed at"))

    class Meta:
        ordering = ["-claimed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "credit_type"], name="one_claim_per_credit_type"
            )
        ]

    def __str__(self) -> str:
        return f"{self.amount} {self.get_credit_type_display()} for {self.enrolment}"

    @property
    def learner(self):
        return self.enrolment.learner

    @property
    def activity(self) -> ActivityPage:
        return self.enrolment.activity
