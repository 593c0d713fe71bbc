"""Notifications' write API: subscribing devices, owing messages, sending them.

Apps above call notify_people (a person's devices that chose a topic) or
notify_topic (every device that chose a topic, with or without an account). Both
only store PushMessage rows, in the caller's transaction, and queue the sender
after commit; a row is unique per subscription and dedupe key, so fanning out a
reminder twice still sends it once. send_due_pushes delivers with pywebpush (each
payload encrypted for its device, RFC 8291, and signed with our VAPID key); it
claims each row with a conditional UPDATE so two workers never send one twice.
A push service that answers 404 or 410 has forgotten the device: its subscription
is deleted. Other failures retry 1, 2, 4 ... minutes later, up to MAX_ATTEMPTS.
"""

import base64
import binascii
import ipaddress
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import requests
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_q.tasks import async_task
from pywebpush import WebPushException, webpush

from accounts.services import ClosedDoor, LeavingSteps
from notifications import topics
from notifications.models import PushMessage, PushSubscription, PushTopic
from notifications.vapid import application_server_key, signing_key

# Other apps import notifications from here (and notifications.models) only: the
# topic names and the public VAPID key are theirs to use too.
__all__ = [
    "PushAction",
    "PushContent",
    "application_server_key",
    "delete_old_pushes",
    "forget_devices_of",
    "notify_people",
    "notify_topic",
    "remove_subscription",
    "save_subscription",
    "send_due_pushes",
    "topics",
]

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
CLAIM_LEASE = timedelta(minutes=5)
BATCH_SIZE = 200
# A reminder that could not be delivered within a day is no use any more.
TIME_TO_LIVE_SECONDS = 24 * 60 * 60


@dataclass(frozen=True)
class PushAction:
    """A button on the notification. Tapping it makes the service worker POST
    `token` (a form field) to `url`: the token is the authority, so it travels in
    the body, never in an address that logs or audit trails keep."""

    action: str
    title: str
    url: str
    token: str = ""


@dataclass(frozen=True)
class PushContent:
    """What one notification says. No clinical details in title or body: a locked
    phone shows them. private_detail (a medicine's name) is added to the body only
    on devices whose owner chose to see it."""

    title: str
    body: str
    url: str
    tag: str = ""
    actions: list[PushAction] = field(default_factory=list)
    private_detail: str = ""

    def payload_for(self, subscription: PushSubscription) -> dict:
        body = self.body
        if self.private_detail and subscription.show_medicine_names:
            body = f"{body} {self.private_detail}"
        return {
            "title": self.title,
            "body": body,
            "url": self.url,
            "tag": self.tag,
            "actions": [
                {
                    "action": button.action,
                    "title": button.title,
                    "url": button.url,
                    "token": button.token,
                }
                for button in self.actions
            ],
        }


def _checked_key(value, length: int, what: str, *, curve_point=False) -> str:
    """The key as canonical base64url, or a ValidationError. Strict decoding (a
    lenient one drops stray characters, and the padded original would not fit its
    column), and the device key must be a point on P-256: a bad one would make
    every later send fail."""
    refused = ValidationError(
        _("This browser sent an unusable %(what)s.") % {"what": what}, code="bad_key"
    )
    if not isinstance(value, str) or len(value) > 2 * length:
        raise refused
    try:
        raw = base64.b64decode(
            value.replace("-", "+").replace("_", "/") + "=" * (-len(value) % 4),
            validate=True,
        )
        if curve_point:
            ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)
    except (binascii.Error, ValueError):
        raise refused from None
    if len(raw) != length:
        raise refused
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _inside_our_network(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False  # a name: push services are public hosts
    return not address.is_global


def _checked_endpoint(endpoint) -> str:
    """A push service's address. The worker will POST to it, so outside
    development and tests it must be https on a public host, never an address
    inside our own network (which would let anyone make the worker call it)."""
    if isinstance(endpoint, str) and len(endpoint) > 2000:
        raise ValidationError(
            _("This browser's push service address is too long."), code="too_long"
        )
    try:
        parts = urlsplit(endpoint)
        host = parts.hostname or ""
    except (ValueError, TypeError, AttributeError):
        parts, host = None, ""
    if parts is None or parts.scheme not in {"https", "http"} or not host:
        raise ValidationError(
            _("This browser sent no push service address."), code="no_endpoint"
        )
    local_allowed = settings.DEBUG or settings.RUNNING_TESTS
    if not local_allowed and (parts.scheme != "https" or _inside_our_network(host)):
        raise ValidationError(
            _("This browser's push service address is not secure."), code="insecure"
        )
    return endpoint


@transaction.atomic
def save_subscription(
    *,
    user,
    endpoint: str,
    p256dh: str,
    auth: str,
    topics: Iterable[str],
    allowed_topics: Iterable[str],
    device_label: str = "",
    show_medicine_names: bool = False,
) -> PushSubscription:
    """Create or update this browser's subscription with exactly these topics,
    which must be among `allowed_topics` (what this person is offered).

    The endpoint identifies the browser: subscribing again (after signing in, or
    with other choices) updates the one row. A visitor's subscription carries no
    person; a person's is theirs alone.
    """
    if isinstance(topics, str) or not all(isinstance(name, str) for name in topics):
        raise ValidationError(_("Choose notifications from the list."), code="topics")
    topics = sorted(set(topics))
    if not topics:
        raise ValidationError(
            _("Choose at least one kind of notification."), code="no_topics"
        )
    if set(topics) - set(allowed_topics):
        raise ValidationError(
            _("One of those notifications is not for you."), code="not_allowed"
        )
    owner = user if user is not None and user.is_authenticated else None
    endpoint = _checked_endpoint(endpoint)
    if (
        owner is None
        and PushSubscription.objects.filter(
            endpoint=endpoint, user__isnull=False
        ).exists()
    ):
        # A visitor may not take a signed-in person's device over (their visit
        # and medicine reminders would silently stop).
        raise ValidationError(
            _(
                "Notifications on this device belong to someone who signed in. "
                "Sign in to change them."
            ),
            code="taken",
        )
    subscription, _created = PushSubscription.objects.update_or_create(
        endpoint=endpoint,
        defaults={
            "user": owner,
            "p256dh": _checked_key(p256dh, 65, _("encryption key"), curve_point=True),
            "auth": _checked_key(auth, 16, _("authentication secret")),
            "device_label": device_label[:120],
            "show_medicine_names": show_medicine_names,
        },
    )
    subscription.topics.exclude(name__in=topics).delete()
    PushTopic.objects.bulk_create(
        [PushTopic(subscription=subscription, name=name) for name in topics],
        ignore_conflicts=True,
    )
    return subscription


def remove_subscription(*, subscription: PushSubscription) -> None:
    subscription.delete()


def _owe(subscriptions, *, dedupe_key: str, content: PushContent) -> int:
    now = timezone.now()
    rows = [
        PushMessage(
            subscription=subscription,
            dedupe_key=dedupe_key,
            payload=content.payload_for(subscription),
            next_attempt_at=now,
        )
        for subscription in subscriptions
    ]
    PushMessage.objects.bulk_create(rows, ignore_conflicts=True)
    if rows:
        transaction.on_commit(
            lambda: async_task("notifications.tasks.send_pushes_task")
        )
    return len(rows)


def notify_people(
    *, users: Iterable, topic: str, dedupe_key: str, content: PushContent
) -> int:
    """Owe `content` to each device of these people that chose `topic`."""
    subscriptions = PushSubscription.objects.filter(
        user__in=list(users), user__is_active=True, topics__name=topic
    ).distinct()
    return _owe(subscriptions, dedupe_key=dedupe_key, content=content)


def notify_topic(
    *, topics: Iterable[str], dedupe_key: str, content: PushContent
) -> int:
    """Owe `content` to every device, signed in or not, that chose any of `topics`."""
    subscriptions = PushSubscription.objects.filter(
        topics__name__in=list(topics)
    ).distinct()
    return _owe(subscriptions, dedupe_key=dedupe_key, content=content)


def _claim(message: PushMessage, now: datetime) -> bool:
    return bool(
        PushMessage.objects.filter(
            pk=message.pk,
            status=PushMessage.Status.PENDING,
            next_attempt_at=message.next_attempt_at,
        ).update(next_attempt_at=now + CLAIM_LEASE)
    )


def _deliver(message: PushMessage) -> None:
    subscription = message.subscription
    webpush(
        subscription_info={
            "endpoint": subscription.endpoint,
            "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
        },
        data=json.dumps(message.payload),
        vapid_private_key=signing_key(),
        # pywebpush adds the audience (the push service's origin) and a 12-hour
        # expiry; a fresh dict each time, because it writes those into it.
        vapid_claims={"sub": settings.WEBPUSH_VAPID_SUBJECT},
        ttl=TIME_TO_LIVE_SECONDS,
        timeout=10,
        headers={"Urgency": "high"},
    )


def _record_failure(message: PushMessage, now: datetime, error: str) -> str:
    attempts = message.attempts + 1
    gave_up = attempts >= MAX_ATTEMPTS
    PushMessage.objects.filter(pk=message.pk).update(
        attempts=attempts,
        status=PushMessage.Status.FAILED if gave_up else PushMessage.Status.PENDING,
        **({"payload": {}} if gave_up else {}),
        next_attempt_at=now + timedelta(minutes=2 ** (attempts - 1)),
        last_error=error[:300],
    )
    return "given_up" if gave_up else "retrying"


def send_due_pushes(*, now: datetime | None = None) -> dict[str, int]:
    """Send every push that is due once; returns what happened."""
    now = now or timezone.now()
    counts = {"sent": 0, "gone": 0, "retrying": 0, "given_up": 0}
    due = list(
        PushMessage.objects.filter(
            status=PushMessage.Status.PENDING, next_attempt_at__lte=now
        )
        .select_related("subscription")
        .order_by("next_attempt_at", "pk")[:BATCH_SIZE]
    )
    for message in due:
        if not _claim(message, now):
            continue
        try:
            _deliver(message)
        except WebPushException as error:
            status = getattr(error.response, "status_code", None)
            if status in {404, 410}:
                # The push service has forgotten this browser: so do we.
                message.subscription.delete()
                counts["gone"] += 1
                continue
            counts[
                _record_failure(message, now, f"push service answered {status}")
            ] += 1
        except requests.RequestException as error:
            counts[_record_failure(message, now, error.__class__.__name__)] += 1
        except Exception as error:  # noqa: BLE001 - one bad row must not stop the rest
            logger.exception("push %s could not be sent", message.pk)
            counts[_record_failure(message, now, error.__class__.__name__)] += 1
        else:
            # The payload may hold a medicine's name (opted in): it is not kept
            # once delivered.
            PushMessage.objects.filter(pk=message.pk).update(
                status=PushMessage.Status.SENT, sent_at=now, payload={}
            )
            PushSubscription.objects.filter(pk=message.subscription_id).update(
                last_sent_at=now
            )
            counts["sent"] += 1
    return counts


def delete_old_pushes(*, now: datetime | None = None) -> int:
    """Sent and given-up messages are kept a day, for support, then forgotten."""
    now = now or timezone.now()
    old = PushMessage.objects.exclude(status=PushMessage.Status.PENDING).filter(
        created_at__lt=now - timedelta(days=1)
    )
    return old.delete()[0]


def forget_devices_of(*, person) -> LeavingSteps:
    """Leaving (accounts.leaving): the person's devices get nothing more, and what
    was still owed to them is dropped with the subscriptions."""
    _total, by_model = PushSubscription.objects.filter(user=person).delete()
    count = by_model.get("notifications.PushSubscription", 0)
    return LeavingSteps(
        doors=[
            ClosedDoor.counted(
                "push_devices",
                count,
                ngettext(
                    "%(count)d device stopped getting notifications.",
                    "%(count)d devices stopped getting notifications.",
                    count,
                ),
            )
        ]
    )
