import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MedicationSchedule(models.Model):
    """When a patient takes one approved medicine: times of day on some weekdays,
    from a start date to an optional end date, in the patient's IANA zone.

    The times are wall-clock times in `time_zone`, so 08:00 stays 08:00 across a
    daylight-saving change; each occurrence becomes one Dose row."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="medication_schedules",
    )
    prescription = models.ForeignKey(
        "visits.RefillRequest", on_delete=models.PROTECT, related_name="schedules"
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # "HH:MM" strings, sorted; ISO weekdays 1 (Monday) to 7 (Sunday).
    times_of_day = models.JSONField(_("times of day"))
    weekdays = models.JSONField(_("days of the week"))
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"), null=True, blank=True)
    time_zone = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    stopped_at = models.DateTimeField(null=True, blank=True)
    # Doses exist as rows up to here; the sweeper plans further ahead.
    planned_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"MedicationSchedule {self.pk}"


class Dose(models.Model):
    """One planned intake. Unique per schedule and moment, so a dose is planned,
    reminded and answered at most once however many sweepers run."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Not answered yet")
        TAKEN = "taken", _("Taken")
        SKIPPED = "skipped", _("Skipped")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    schedule = models.ForeignKey(
        MedicationSchedule, on_delete=models.CASCADE, related_name="doses"
    )
    due_at = models.DateTimeField()
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PLANNED
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "due_at"], name="one_dose_per_schedule_and_time"
            )
        ]
        indexes = [models.Index(fields=["reminder_sent_at", "due_at"])]

    def __str__(self) -> str:
        return f"Dose {self.pk}"
