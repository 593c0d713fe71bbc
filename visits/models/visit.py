import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class VisitQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=Visit.ACTIVE_STATUSES)

    def overlapping(self, start, end):
        return self.filter(start__lt=end, end__gt=start)


class Visit(models.Model):
    """One video visit between a patient and a clinician.

    Times are stored in UTC; `time_zone` is the clinic's zone and
    `patient_time_zone` the patient's, both shown side by side.
    """

    class Status(models.TextChoices):
        # Booked and not yet started; the slot is taken.
        BOOKED = "booked", _("Booked")
        # The patient checked in and is in the waiting room.
        WAITING = "waiting", _("In the waiting room")
        # The clinician admitted the patient: the video call is on.
        IN_PROGRESS = "in_progress", _("In progress")
        # The clinician ended the visit; nobody can join any more.
        COMPLETED = "completed", _("Completed")
        # Cancelled by the patient or the clinician; the slot is free again.
        CANCELLED = "cancelled", _("Cancelled")
        # The patient never checked in within the grace period; the slot is free.
        NO_SHOW = "no_show", _("No-show")

    ACTIVE_STATUSES = (Status.BOOKED, Status.WAITING, Status.IN_PROGRESS)

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="visits_as_patient",
    )
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="visits_as_clinician",
    )
    visit_type = models.ForeignKey(
        "visits.VisitType", on_delete=models.PROTECT, related_name="visits"
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    time_zone = models.CharField(_("clinic time zone"), max_length=64)
    patient_time_zone = models.CharField(_("patient time zone"), max_length=64)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.BOOKED
    )
    reason = models.TextField(_("reason for the visit"), blank=True)
    intake_answers = models.JSONField(_("intake answers"), default=dict, blank=True)
    running_late_minutes = models.PositiveSmallIntegerField(default=0)
    booked_at = models.DateTimeField(auto_now_add=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    admitted_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    no_show_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    # The meetings room (made at check-in); a UUID, so meetings never points back.
    meeting_uuid = models.UUIDField(null=True, blank=True)
    rescheduled_from = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rescheduled_to",
    )

    objects = VisitQuerySet.as_manager()

    class Meta:
        ordering = ["start"]
        permissions = [
            ("provide_care", "Can see patients they have a visit or care link with"),
            ("break_glass", "Can open a patient's record in an emergency"),
        ]
        constraints = [
            # Belt and braces behind the row locks in book_visit: the database
            # itself refuses a second live visit at the same start.
            models.UniqueConstraint(
                fields=["clinician", "start"],
                condition=Q(status__in=["booked", "waiting", "in_progress"]),
                name="visits_one_live_visit_per_clinician_start",
            ),
            models.UniqueConstraint(
                fields=["patient", "start"],
                condition=Q(status__in=["booked", "waiting", "in_progress"]),
                name="visits_one_live_visit_per_patient_start",
            ),
            models.CheckConstraint(
                condition=Q(start__lt=models.F("end")), name="visits_start_before_end"
            ),
        ]
        indexes = [models.Index(fields=["clinician", "start", "end"])]

    def __str__(self) -> str:
        return f"Visit {self.uuid}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES


class ConsentAcceptance(models.Model):
    """A patient accepted one version of the telehealth consent (for one visit)."""

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="telehealth_consents",
    )
    document = models.ForeignKey(
        "visits.ConsentDocument", on_delete=models.PROTECT, related_name="acceptances"
    )
    visit = models.ForeignKey(
        Visit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consents",
    )
    accepted_at = models.DateTimeField()
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-accepted_at"]

    def __str__(self) -> str:
        return f"ConsentAcceptance {self.pk}"
