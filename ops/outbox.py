"""The one mail outbox: delivers what every app queued, with retries and backoff.

Every send_mail() and EmailMessage.send() in the portal lands in
django-post-office's Email table (settings.EMAIL_BACKEND), so a page never waits
for, or fails on, the mail server. This module delivers those rows through
settings.EMAIL_DELIVERY_BACKEND. Called by ops.tasks (once per transaction that
queued messages, and every minute by the sweeper schedule).

Each row is claimed with a conditional UPDATE before it is sent, so two workers
(on one machine or several) never send the same message twice. A failure puts the
row back with the next attempt 1, 2, 4 ... minutes later (at most
EMAIL_RETRY_MAX_MINUTES); after EMAIL_MAX_ATTEMPTS it stays "failed", visible in the
Django admin (Post Office > Emails, with a "requeue" action and every attempt's
error in its log). Sent and given-up messages are deleted after
EMAIL_KEEP_SENT_DAYS (delete_old_email).
"""

import logging
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from post_office.connections import connections
from post_office.models import STATUS, Attachment, Email

logger = logging.getLogger(__name__)

# A claimed row is invisible to other senders for this long; a worker that died
# mid-send leaves it to be retried after the lease.
CLAIM_LEASE = timedelta(minutes=10)
# After this many failures in a row the server is taken to be down: the rest waits
# for the next run instead of each message waiting out the SMTP timeout.
STOP_AFTER_FAILURES_IN_A_ROW = 3
BATCH_SIZE = 100
# One run stops starting new batches after this long (the task timeout is longer).
RUN_SECONDS = 120


def retry_delay(attempts: int) -> timedelta:
    """Wait before the next try after `attempts` failed ones: 1, 2, 4 ... minutes."""
    minutes = min(2 ** max(attempts - 1, 0), settings.EMAIL_RETRY_MAX_MINUTES)
    return timedelta(minutes=minutes)


def _due(now: datetime):
    return (
        Email.objects.filter(status__in=[STATUS.queued, STATUS.requeued])
        .filter(Q(scheduled_time__isnull=True) | Q(scheduled_time__lte=now))
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
    )


def _claim(email: Email, now: datetime) -> bool:
    """Take the row for this run; False if another sender took it first."""
    return bool(
        _due(now)
        .filter(pk=email.pk, scheduled_time=email.scheduled_time)
        .update(scheduled_time=now + CLAIM_LEASE, last_updated=now)
    )


def _record_failure(email: Email, now: datetime) -> str:
    attempts = (email.number_of_retries or 0) + 1
    if attempts >= settings.EMAIL_MAX_ATTEMPTS:
        # Reset so that the admin's "requeue" starts a fresh round of tries; each
        # attempt stays in the message's log.
        Email.objects.filter(pk=email.pk).update(
            status=STATUS.failed,
            number_of_retries=0,
            scheduled_time=None,
            last_updated=now,
        )
        logger.error(
            "mail %s given up after %d attempts; requeue it in the admin",
            email.pk,
            attempts,
        )
        return "given_up"
    Email.objects.filter(pk=email.pk).update(
        status=STATUS.requeued,
        number_of_retries=attempts,
        scheduled_time=now + retry_delay(attempts),
        last_updated=now,
    )
    return "retrying"


def send_queued_email(*, now: datetime | None = None) -> dict[str, int]:
    """Deliver every due message once; returns counts of what happened.

    Works through batches until nothing is due, the server looks down, or
    RUN_SECONDS have passed (the schedule's next run picks up the rest).
    """
    now = now or timezone.now()
    counts = {"sent": 0, "retrying": 0, "given_up": 0}
    failures_in_a_row = 0
    deadline = time.monotonic() + RUN_SECONDS
    try:
        while time.monotonic() < deadline:
            due = list(_due(now).order_by("-priority", "pk")[:BATCH_SIZE])
            if not due:
                break
            for email in due:
                if failures_in_a_row >= STOP_AFTER_FAILURES_IN_A_ROW:
                    return counts
                if not _claim(email, now):
                    continue
                # dispatch() records the outcome (status, and a Log row with the
                # error) and never raises; the connection is reused for the run.
                status = email.dispatch(disconnect_after_delivery=False)
                if status == STATUS.sent:
                    counts["sent"] += 1
                    failures_in_a_row = 0
                else:
                    # A broken connection must not be reused by the next message.
                    connections.close()
                    counts[_record_failure(email, now)] += 1
                    failures_in_a_row += 1
    finally:
        connections.close()
    return counts


def delete_old_email(*, now: datetime | None = None) -> int:
    """Forget delivered and given-up messages after EMAIL_KEEP_SENT_DAYS: they hold
    sign-in links, password-reset links and calendar files. Their attachments'
    files go with them. Returns how many messages were deleted."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.EMAIL_KEEP_SENT_DAYS)
    # A given-up message stays the whole window after its last try, for an
    # administrator to requeue; messages still waiting for a try are never purged.
    old = Email.objects.filter(
        Q(status=STATUS.sent, created__lt=cutoff)
        | Q(status=STATUS.failed, last_updated__lt=cutoff)
    )
    _total, deleted = old.delete()
    for attachment in Attachment.objects.filter(emails=None)[:1000]:
        attachment.file.delete(save=False)
        attachment.delete()
    return deleted.get("post_office.Email", 0)
