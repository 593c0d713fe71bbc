from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_sweeper(sender, **kwargs) -> None:
    if sender.label != "meetings":
        return
    from meetings.services.reminders import ensure_sweeper_schedule

    ensure_sweeper_schedule()


class MeetingsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "meetings"
    verbose_name = "Meetings"

    def ready(self) -> None:
        post_migrate.connect(_ensure_sweeper, dispatch_uid="meetings.sweeper")
