"""Patient-education tasks, run by the django-q2 worker.

notify_alert_subscribers_task is queued by cms.services after an alert is published;
send_review_reminders_task runs daily and publish_scheduled_task every minute from
the schedules below. All are safe to run twice.
"""

from django.core.management import call_command
from django_q.models import Schedule

from cms import services
from cms.models import Alert
from cms.setup import PUBLISH_SCHEDULED_SCHEDULE, REVIEW_REMINDER_SCHEDULE

# Installed after migrate by ops.services.install_schedules.
SCHEDULES = [
    {
        "name": REVIEW_REMINDER_SCHEDULE,
        "func": "cms.tasks.send_review_reminders_task",
        "schedule_type": Schedule.DAILY,
    },
    {
        "name": PUBLISH_SCHEDULED_SCHEDULE,
        "func": "cms.tasks.publish_scheduled_task",
        "schedule_type": Schedule.MINUTES,
        "minutes": 1,
    },
]


def notify_alert_subscribers_task(alert_uuid: str) -> int:
    alert = Alert.objects.filter(uuid=alert_uuid).first()
    if alert is None:
        return 0
    return services.notify_alert_subscribers(alert=alert)


def send_review_reminders_task() -> int:
    return services.send_review_reminders()


def publish_scheduled_task() -> None:
    # Wagtail's own command publishes pages and alerts whose go-live time has come
    # and unpublishes expired ones, firing the usual published signals.
    call_command("publish_scheduled", verbosity=0)
