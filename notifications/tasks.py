"""Notifications tasks, run by the django-q2 worker; thin wrappers over services.

send_pushes_task is queued after each transaction that owed pushes; the schedule
retries what failed and clears old rows. Both are safe to run twice.
"""

from django_q.models import Schedule

from notifications.services import delete_old_pushes, send_due_pushes

SCHEDULES = [
    {
        "name": "push sender",
        "func": "notifications.tasks.sweep_pushes_task",
        "schedule_type": Schedule.MINUTES,
        "minutes": 1,
    }
]


def send_pushes_task() -> dict[str, int]:
    return send_due_pushes()


def sweep_pushes_task() -> dict[str, int]:
    counts = send_due_pushes()
    counts["deleted"] = delete_old_pushes()
    return counts
