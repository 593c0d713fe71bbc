import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def _document_path(instance: "Document", filename: str) -> str:
    # The stored name is random: nothing about the patient or the file's
    # original name ends up in storage paths.
    return f"visits/documents/{uuid.uuid4().hex}{instance.extension}"


class Document(models.Model):
    """An image or PDF in a patient's record (uploads are re-encoded first)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(upload_to=_document_path)
    content_type = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Document {self.pk}"

    @property
    def extension(self) -> str:
        return {"image/png": ".png", "image/jpeg": ".jpg"}.get(
            self.content_type, ".pdf"
        )


class CareRelationship(models.Model):
    """A clinician looks after a patient beyond single visits (e.g. monitoring)."""

    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["clinician", "patient"], name="visits_one_care_relationship"
            )
        ]

    def __str__(self) -> str:
        return f"CareRelationship {self.pk}"


class Referral(models.Model):
    """A clinician refers a patient and shares exactly the chosen items, for a time."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    referring_clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    specialist = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="referrals_received",
    )
    reason = models.TextField(_("reason for the referral"))
    shared_notes = models.ManyToManyField(
        "visits.ClinicalNote", blank=True, related_name="referrals"
    )
    shared_documents = models.ManyToManyField(
        Document, blank=True, related_name="referrals"
    )
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    meeting_uuid = models.UUIDField(null=True, blank=True)
    # The specialist's first look; the referring clinician is told once.
    opened_at = models.DateTimeField(null=True, blank=True)
    # Set by the notice tasks when their one email went out (a retried or
    # repeated task mails nobody twice).
    arrival_emailed_at = models.DateTimeField(null=True, blank=True)
    opened_emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        permissions = [("receive_referrals", "Can receive referrals as a specialist")]

    def __str__(self) -> str:
        return f"Referral {self.pk}"


class BreakGlassGrant(models.Model):
    """Emergency access to a record: a reason, a time box, then an auditor's review."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"))
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    review_note = models.TextField(_("review note"), blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"BreakGlassGrant {self.pk}"
