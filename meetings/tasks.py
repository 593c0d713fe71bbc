"""Meetings tasks, run by the django-q2 worker.

send_invitation_task is queued by the scheduling services after commit, one per
person and change; sweep_task runs from the one Schedule created after migrate.
Both are safe to run twice.
"""

from django.conf import settings
from django_q.models import Schedule

from meetings.models import InvitationEmail
from meetings.services.invitations import send_invitation
from meetings.services.reminders import SWEEPER_NAME, sweep_reminders

# The one schedule for all periodic meetings work, installed after migrate by
# ops.services.install_schedules.
SCHEDULES = [
    {
        "name": SWEEPER_NAME,
        "func": "meetings.tasks.sweep_task",
        "schedule_type": Schedule.MINUTES,
        "minutes": settings.MEETINGS_SWEEP_MINUTES,
    }
]


def send_invitation_task(invitation_uuid: str) -> str:
    invitation = InvitationEmail.objects.filter(uuid=invitation_uuid).first()
    if invitation is None:
        return "gone"
    send_invitation(invitation=invitation)
    return "queued"


def sweep_task() -> str:
    sent = sweep_reminders()
    return f"{sent} reminders sent"
