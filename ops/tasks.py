"""Operations tasks, run by the django-q2 worker.

record_heartbeat_task runs every minute from a django-q2 Schedule (created after
migrate); its stored result is the worker heartbeat that /healthz reads.
"""

from django.utils import timezone
from django_q.models import Schedule

from ops.services import HEARTBEAT_FUNC, HEARTBEAT_SCHEDULE_NAME

# Installed after migrate by ops.services.install_schedules, like every app's.
SCHEDULES = [
    {
        "name": HEARTBEAT_SCHEDULE_NAME,
        "func": HEARTBEAT_FUNC,
        "schedule_type": Schedule.MINUTES,
        "minutes": 1,
    }
]


def record_heartbeat_task() -> str:
    return timezone.now().isoformat()
