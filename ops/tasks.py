"""Operations tasks, run by the django-q2 worker.

record_heartbeat_task runs every minute from a django-q2 Schedule (created after
migrate); its stored result is the worker heartbeat that /healthz reads.
send_queued_email_task delivers the mail outbox: queued once per transaction that
stored messages (ops.apps) and every minute by its schedule, which retries what
failed and sends what one run left.
Both are safe to run twice, and at once.
"""

from django.utils import timezone
from django_q.models import Schedule

from ops import outbox
from ops.services import HEARTBEAT_FUNC, HEARTBEAT_SCHEDULE_NAME

OUTBOX_SCHEDULE_NAME = "mail outbox"
OUTBOX_FUNC = "ops.tasks.send_queued_email_task"

# Installed after migrate by ops.services.install_schedules, like every app's.
SCHEDULES = [
    {
        "name": HEARTBEAT_SCHEDULE_NAME,
        "func": HEARTBEAT_FUNC,
        "schedule_type": Schedule.MINUTES,
        "minutes": 1,
    },
    {
        "name": OUTBOX_SCHEDULE_NAME,
        "func": OUTBOX_FUNC,
        "schedule_type": Schedule.MINUTES,
        "minutes": 1,
    },
]


def record_heartbeat_task() -> str:
    return timezone.now().isoformat()


def send_queued_email_task() -> dict[str, int]:
    counts = outbox.send_queued_email()
    counts["deleted"] = outbox.delete_old_email()
    return counts
