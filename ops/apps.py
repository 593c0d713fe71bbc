from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_heartbeat(sender, **kwargs) -> None:
    # ops has no models, so it gets no post_migrate of its own: hang the schedule
    # off django-q2's, whose tables it lives in.
    if sender.label != "django_q":
        return
    from ops.services import ensure_heartbeat_schedule

    ensure_heartbeat_schedule()


class OpsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "ops"
    verbose_name = "Operations"

    def ready(self) -> None:
        post_migrate.connect(_ensure_heartbeat, dispatch_uid="ops.heartbeat")
