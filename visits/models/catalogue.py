import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


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
    duration_minutes = models.PositiveSmallIntegerField(_("duration in minutes"))
    intake_questions = models.JSONField(_("intake questions"), default=list, blank=True)
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
