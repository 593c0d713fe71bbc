import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# Physiological ranges: anything outside is a typing or unit error, not a reading.
SYSTOLIC_RANGE = (50, 300)
DIASTOLIC_RANGE = (20, 200)
HEART_RATE_RANGE = (20, 250)


class Reading(models.Model):
    """A home measurement: blood pressure in mm[Hg] or heart rate in /min."""

    class Kind(models.TextChoices):
        BLOOD_PRESSURE = "bp", _("Blood pressure")
        HEART_RATE = "hr", _("Heart rate")

    class Source(models.TextChoices):
        MANUAL = "manual", _("Typed in")
        UPLOAD = "upload", _("Uploaded from a device")
        APP = "app", _("Sent by a connected app")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="readings"
    )
    kind = models.CharField(max_length=4, choices=Kind.choices)
    systolic = models.PositiveSmallIntegerField(null=True, blank=True)
    diastolic = models.PositiveSmallIntegerField(null=True, blank=True)
    heart_rate = models.PositiveSmallIntegerField(null=True, blank=True)
    measured_at = models.DateTimeField()
    source = models.CharField(max_length=8, choices=Source.choices)
    # For readings sent by an app: the app (and device, when it names one), and the
    # app's own identifier, so a reading sent twice is stored once.
    sent_by = models.CharField(max_length=200, blank=True)
    external_id = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["measured_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        kind="bp",
                        systolic__range=SYSTOLIC_RANGE,
                        diastolic__range=DIASTOLIC_RANGE,
                        systolic__gt=models.F("diastolic"),
                    )
                    | Q(kind="hr", heart_rate__range=HEART_RATE_RANGE)
                ),
                name="visits_reading_physiological",
            ),
            models.UniqueConstraint(
                fields=["patient", "external_id"],
                condition=~Q(external_id=""),
                name="visits_reading_one_per_external_id",
            ),
        ]

    def __str__(self) -> str:
        return f"Reading {self.uuid}"


class Threshold(models.Model):
    """Per-patient limits set by the clinician; a reading beyond one raises an alert."""

    patient = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="threshold"
    )
    systolic_max = models.PositiveSmallIntegerField(_("highest systolic"), default=140)
    diastolic_max = models.PositiveSmallIntegerField(_("highest diastolic"), default=90)
    heart_rate_min = models.PositiveSmallIntegerField(
        _("lowest heart rate"), default=50
    )
    heart_rate_max = models.PositiveSmallIntegerField(
        _("highest heart rate"), default=110
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Threshold {self.pk}"


class Alert(models.Model):
    """A reading beyond the patient's threshold, until a clinician acknowledges it."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for a clinician")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reading = models.ForeignKey(
        Reading, on_delete=models.PROTECT, related_name="alerts"
    )
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="alerts"
    )
    message = models.CharField(max_length=300)
    status = models.CharField(max_length=16, choices=Status.choices, default="open")
    created_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Set by the sweeper when the escalation notice went out (at most once).
    escalated_at = models.DateTimeField(null=True, blank=True)
    # Set by the escalation task when its one email went out, so a retried or
    # repeated task does not mail anyone twice.
    escalation_emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Alert {self.pk}"
