from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts.services import validate_time_zone


class ClinicianProfile(models.Model):
    """Where a clinician practises: the clinic's time zone governs their hours."""

    clinician = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="visit_profile"
    )
    clinic_name = models.CharField(_("clinic"), max_length=120)
    time_zone = models.CharField(
        _("clinic time zone"), max_length=64, validators=[validate_time_zone]
    )
    visit_types = models.ManyToManyField(
        "visits.VisitType", related_name="clinicians", verbose_name=_("visit types")
    )

    def __str__(self) -> str:
        return f"{self.clinician} at {self.clinic_name}"

    @property
    def clinic_zone_info(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class WeeklyHours(models.Model):
    """A recurring block of bookable time, in the clinic's wall-clock time."""

    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="weekly_hours"
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(_("until"))

    class Meta:
        ordering = ["weekday", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_time__lt=F("end_time")), name="weekly_hours_in_order"
            ),
            models.CheckConstraint(
                condition=Q(weekday__lte=6), name="weekly_hours_weekday_range"
            ),
        ]

    def __str__(self) -> str:
        return f"WeeklyHours {self.pk}"


class ScheduleException(models.Model):
    """A date that differs from the weekly hours: a day off or extra hours.

    Without times, UNAVAILABLE removes the whole day.
    """

    class Kind(models.TextChoices):
        UNAVAILABLE = "unavailable", _("Not available")
        EXTRA = "extra", _("Extra hours")

    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="schedule_exceptions",
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    start_time = models.TimeField(_("from"), null=True, blank=True)
    end_time = models.TimeField(_("until"), null=True, blank=True)

    class Meta:
        ordering = ["date", "start_time"]

    def __str__(self) -> str:
        return f"ScheduleException {self.pk}"
