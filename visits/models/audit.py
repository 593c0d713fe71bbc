import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """The audit log is never changed or deleted through the application."""


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Audit events cannot be changed.")

    def delete(self):
        raise AppendOnlyError("Audit events cannot be deleted.")


class AuditEvent(models.Model):
    """Who read or wrote which piece of PHI, when, and from where. Append-only.

    `what` names the kind of item (never its content); `object_uuid` points at it.
    """

    class Action(models.TextChoices):
        READ = "read", _("Read")
        WRITE = "write", _("Wrote")
        DENIED = "denied", _("Was refused")
        BREAK_GLASS = "break_glass", _("Opened in an emergency")
        EXPORT = "export", _("Exported")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    action = models.CharField(max_length=16, choices=Action.choices)
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    what = models.CharField(max_length=64)
    object_uuid = models.UUIDField(null=True)
    path = models.CharField(max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(null=True)
    user_agent = models.CharField(max_length=200, blank=True)
    # The connected app (SMART on FHIR client) that acted for the actor, if any.
    via_app = models.CharField(max_length=200, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]
        permissions = [
            ("search_audit", "Can search the PHI audit log"),
            ("review_break_glass", "Can review break-glass access"),
        ]

    def __str__(self) -> str:
        return f"AuditEvent {self.pk}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit events cannot be deleted.")
