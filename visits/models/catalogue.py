import uuid

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


def validate_intake_questions(value) -> None:
    """A list of {"key": ..., "text": ...} with text in both, keys unique: the intake
    page and the clinician's workspace read exactly that."""
    message = _(
        'Write the intake questions as a list of {"key": "...", "text": "..."} '
        "items, each key used once."
    )
    if not isinstance(value, list):
        raise ValidationError(message, code="intake_questions")
    keys = set()
    for item in value:
        if (
            not isinstance(item, dict)
            or set(item) != {"key", "text"}
            or not all(
                isinstance(item[name], str) and item[name].strip() for name in item
            )
            or item["key"] in keys
        ):
            raise ValidationError(message, code="intake_questions")
        keys.add(item["key"])


class VisitType(models.Model):
    """A kind of video visit: its length, intake questions, consent and eligibility.

    `intake_questions` is a list of {"key", "text"} items asked before the visit;
    `questionnaire` names a scored screening form (PHQ-9, GAD-7) asked as well.
    """

    class Questionnaire(models.TextChoices):
        NONE = "", _("None")
        PHQ9 = "phq9", _("PHQ-9 (depression)")
        GAD7 = "gad7", _("GAD-7 (anxiety)")
        PHQ9_GAD7 = "phq9_gad7", _("PHQ-9 and GAD-7")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.SlugField(_("code"), unique=True)
    name = models.CharField(_("name"), max_length=120)
    # Slots are cut at this length: zero would never end a day's list.
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration in minutes"),
        validators=[MinValueValidator(5), MaxValueValidator(480)],
    )
    intake_questions = models.JSONField(
        _("intake questions"),
        default=list,
        blank=True,
        validators=[validate_intake_questions],
    )
    questionnaire = models.CharField(
        _("screening questionnaire"),
        max_length=16,
        choices=Questionnaire.choices,
        blank=True,
    )
    consent_text = models.TextField(_("consent text for this visit type"))
    eligibility_notes = models.TextField(_("eligibility notes"))
    is_active = models.BooleanField(_("offered"), default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ConsentDocument(models.Model):
    """One published version of the telehealth consent; the newest one applies."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    text = models.TextField(_("text"))
    published_at = models.DateTimeField(_("published at"))

    class Meta:
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"Telehealth consent v{self.version}"
