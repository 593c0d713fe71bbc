"""Web Push subscriptions (one per browser on one device) and the messages owed to them.

A subscription belongs to a person, or to nobody for a visitor who asked for
public-health alerts of their area. Topics say what it wants ("visit-reminders",
"alerts:north-campus", ...); the apps above name topics, this app knows none of
them. A PushMessage is one notification owed to one subscription: unique per
dedupe key, so a reminder that is fanned out twice is still sent once.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PushSubscription(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="push_subscriptions",
    )
    # The push service's address for this browser (a capability URL: whoever
    # holds it can send to the device, so it is never shown in full).
    endpoint = models.URLField(max_length=2000, unique=True)
    p256dh = models.CharField(max_length=100)
    auth = models.CharField(max_length=40)
    device_label = models.CharField(_("device"), max_length=120, blank=True)
    # A patient may let notifications name their medicines; off unless chosen.
    show_medicine_names = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"PushSubscription {self.pk}"


class PushTopic(models.Model):
    subscription = models.ForeignKey(
        PushSubscription, on_delete=models.CASCADE, related_name="topics"
    )
    name = models.CharField(max_length=120)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "name"], name="one_topic_row_per_name"
            )
        ]
        indexes = [models.Index(fields=["name"])]

    def __str__(self) -> str:
        return self.name


class PushMessage(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Given up")

    subscription = models.ForeignKey(
        PushSubscription, on_delete=models.CASCADE, related_name="messages"
    )
    dedupe_key = models.CharField(max_length=200)
    # What the service worker shows: title, body, url, tag, actions. Encrypted for
    # the device when sent; emptied once sent or given up (it may name a medicine).
    payload = models.JSONField()
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "dedupe_key"], name="one_push_per_key"
            )
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"PushMessage {self.pk}"
