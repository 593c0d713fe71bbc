import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ClinicalNote(models.Model):
    """The visit's SOAP note. Once signed it is locked; changes become addenda."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    visit = models.OneToOneField(
        "visits.Visit", on_delete=models.PROTECT, related_name="note"
    )
    subjective = models.TextField(_("subjective"), blank=True)
    objective = models.TextField(_("objective"), blank=True)
    assessment = models.TextField(_("assessment"), blank=True)
    plan = models.TextField(_("plan"), blank=True)
    patient_instructions = models.TextField(
        _("instructions for the patient"), blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    def __str__(self) -> str:
        return f"Note {self.uuid}"

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None


class Addendum(models.Model):
    """A later change to a signed note, with its author and time."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    note = models.ForeignKey(
        ClinicalNote, on_delete=models.PROTECT, related_name="addenda"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("addendum"))
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Addendum {self.pk}"


class FollowUpProposal(models.Model):
    """The clinician proposes another visit; the patient accepts or declines it."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    visit = models.ForeignKey(
        "visits.Visit", on_delete=models.PROTECT, related_name="follow_ups"
    )
    visit_type = models.ForeignKey("visits.VisitType", on_delete=models.PROTECT)
    within_days = models.PositiveSmallIntegerField(_("within how many days"))
    note = models.CharField(_("note for the patient"), max_length=300, blank=True)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PROPOSED
    )
    created_at = models.DateTimeField()
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"FollowUpProposal {self.pk}"


class SecureMessage(models.Model):
    """A message between the patient and the clinician about one visit."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    visit = models.ForeignKey(
        "visits.Visit", on_delete=models.PROTECT, related_name="messages"
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    body = models.TextField(_("message"))
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"SecureMessage {self.pk}"


class RefillRequest(models.Model):
    """A patient asks their clinician to renew a medication."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the clinician")
        APPROVED = "approved", _("Approved")
        DENIED = "denied", _("Denied")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="refills"
    )
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    medication = models.CharField(_("medication"), max_length=200)
    dosage = models.CharField(_("dose and how often"), max_length=200)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PENDING
    )
    decision_reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"RefillRequest {self.pk}"
