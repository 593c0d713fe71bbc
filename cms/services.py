"""Patient-education write API: alert notifications, subscriptions, review reminders.

Called by cms.tasks (the queue), cms.signals (after an alert is published), cms.views
(subscribing) and cms.demo. Emails never carry clinical details about a person.
"""

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_q.tasks import async_task

from accounts.services import Role, send_email
from cms.models import Alert, AlertSubscription, ArticlePage
from notifications.services import PushContent, notify_topic

logger = logging.getLogger(__name__)


def schedule_alert_notifications(*, alert: Alert) -> None:
    """Queue the subscriber emails for a freshly published alert, after commit."""
    alert_uuid = str(alert.uuid)
    transaction.on_commit(
        lambda: async_task("cms.tasks.notify_alert_subscribers_task", alert_uuid)
    )


@transaction.atomic
def notify_alert_subscribers(*, alert: Alert) -> int:
    """Queue one email to every subscriber about a live alert; returns how many.

    The alert row is locked and stamped, so a second run (a retried or duplicated
    task) finds notified_at set and sends nothing.
    """
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if alert.notified_at is not None or not alert.live:
        return 0
    now = timezone.now()
    if alert.end <= now:
        alert.notified_at = now
        alert.save(update_fields=["notified_at"])
        return 0
    subscriptions = AlertSubscription.objects.select_related("user").filter(
        user__is_active=True
    )
    queued = 0
    for subscription in subscriptions:
        # In the subscriber's language, which also picks the alert's Spanish wording
        # and the links' language prefix. Stored in the mail outbox with this
        # transaction; delivered by ops.outbox.
        with translation.override(subscription.language or settings.LANGUAGE_CODE):
            send_email(
                "cms/email/alert",
                {
                    "alert": alert,
                    "person": subscription.user,
                    "alert_url": settings.BASE_URL + alert.get_absolute_url(),
                    "manage_url": settings.BASE_URL + reverse("cms:alert_list"),
                },
                to=[subscription.user.email],
            )
        queued += 1
    # And every phone subscribed to its areas, with or without an account.
    phones = notify_topic(
        topics=alert.push_topics(),
        dedupe_key=f"alert:{alert.uuid}",
        content=PushContent(
            title=alert.title,
            body=alert.areas or gettext("A public-health alert from TeleCampus."),
            url=alert.get_absolute_url(),
            tag=f"alert-{alert.uuid}",
        ),
    )
    alert.notified_at = now
    alert.save(update_fields=["notified_at"])
    logger.info(
        "alert %s queued for %d subscribers and %d phones", alert.uuid, queued, phones
    )
    return queued


def subscribe_to_alerts(*, user, language: str) -> AlertSubscription:
    """Subscribe (or change the language of an existing subscription)."""
    known = dict(settings.LANGUAGES)
    language = language.split("-")[0] if language else settings.LANGUAGE_CODE
    if language not in known:
        language = settings.LANGUAGE_CODE
    subscription, _ = AlertSubscription.objects.update_or_create(
        user=user, defaults={"language": language}
    )
    return subscription


def unsubscribe_from_alerts(*, user) -> None:
    AlertSubscription.objects.filter(user=user).delete()


def _editors():
    return get_user_model().objects.filter(
        groups__name=Role.EDITOR.value, is_active=True
    )


def send_review_reminders(*, today: datetime.date | None = None) -> int:
    """Email editors and the page's reviewer about articles past their review date.

    One email per page per review cycle: the page remembers the due date it was
    reminded about, and a new review (a new due date) starts a new cycle.
    Returns the number of pages reminded about.
    """
    today = today or timezone.localdate()
    due_ids = list(
        ArticlePage.objects.live()
        .filter(next_review_due__lt=today)
        .exclude(review_reminder_sent_for=F("next_review_due"))
        .values_list("pk", flat=True)
    )
    return sum(_remind_about_page(page_id=page_id, today=today) for page_id in due_ids)


@transaction.atomic
def _remind_about_page(*, page_id: int, today: datetime.date) -> int:
    page = (
        ArticlePage.objects.select_for_update(of=("self",))
        .select_related("reviewed_by")
        .get(pk=page_id)
    )
    if page.review_reminder_sent_for == page.next_review_due or not (
        page.next_review_due and page.next_review_due < today
    ):
        return 0
    recipients = {user.email for user in _editors() if user.email}
    if page.reviewed_by and page.reviewed_by.is_active and page.reviewed_by.email:
        recipients.add(page.reviewed_by.email)
    with translation.override(settings.LANGUAGE_CODE):
        for address in sorted(recipients):
            send_email(
                "cms/email/review_due",
                {"page": page, "page_url": page.get_full_url()},
                to=[address],
            )
    ArticlePage.objects.filter(pk=page.pk).update(
        review_reminder_sent_for=page.next_review_due
    )
    return 1
