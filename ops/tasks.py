"""Operations tasks, run by the django-q2 worker.

record_heartbeat_task runs every minute from a django-q2 Schedule (created after
migrate); its stored result is the worker heartbeat that /healthz reads.
"""

from django.utils import timezone


def record_heartbeat_task() -> str:
    return timezone.now().isoformat()
