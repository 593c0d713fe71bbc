"""The one periodic sweeper: reminders, no-shows, alert escalation and doses.

A single django-q2 Schedule (made after migrate) runs visits.tasks.sweep_visits_task
every minute; each object's `*_at` field is claimed with a conditional UPDATE, so
two sweepers running at once still act once per object.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_q.tasks import async_task

from visits.models import Alert, Visit
from visits.services.medication import plan_and_claim_due_doses

SWEEPER_NAME = "visits sweeper"
SWEEPER_FUNC = "visits.tasks.sweep_visits_task"


def _later(task: str, key) -> None:
    transaction.on_commit(lambda: async_task(f"visits.tasks.{task}", str(key)))


@transaction.atomic
def sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Send due reminders, mark no-shows (freeing their slots), escalate alerts."""
    now = now or timezone.now()
    counts = {"reminders": 0, "no_shows": 0, "escalations": 0, "dose_reminders": 0}

    due = Visit.objects.filter(
        status=Visit.Status.BOOKED,
        reminder_sent_at__isnull=True,
        start__gt=now,
        start__lte=now + timedelta(hours=settings.VISITS_REMINDER_HOURS),
    ).values_list("pk", "uuid")
    for pk, uuid in due:
        if Visit.objects.filter(pk=pk, reminder_sent_at__isnull=True).update(
            reminder_sent_at=now
        ):
            _later("send_reminder_task", uuid)
            counts["reminders"] += 1

    grace = timedelta(minutes=settings.VISITS_NO_SHOW_GRACE_MINUTES)
    counts["no_shows"] = Visit.objects.filter(
        status=Visit.Status.BOOKED, checked_in_at__isnull=True, start__lte=now - grace
    ).update(status=Visit.Status.NO_SHOW, no_show_at=now)

    overdue = timedelta(minutes=settings.VISITS_ALERT_ESCALATION_MINUTES)
    stale = Alert.objects.filter(
        status=Alert.Status.OPEN,
        escalated_at__isnull=True,
        created_at__lte=now - overdue,
    ).values_list("pk", "uuid")
    for pk, uuid in stale:
        if Alert.objects.filter(pk=pk, escalated_at__isnull=True).update(
            escalated_at=now
        ):
            _later("escalate_alert_task", uuid)
            counts["escalations"] += 1

    for dose_uuid in plan_and_claim_due_doses(now=now):
        _later("send_dose_reminder_task", dose_uuid)
        counts["dose_reminders"] += 1
    return counts
