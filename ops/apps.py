from django.apps import AppConfig
from django.core import checks
from django.db.models.signals import post_migrate

from ops.base_url_check import check_base_url


def _install_schedules(sender, **kwargs) -> None:
    # ops has no models, so it gets no post_migrate of its own: hang the schedules
    # off django-q2's, whose tables they live in (every app's tables exist by then).
    if sender.label != "django_q":
        return
    from ops.services import install_schedules

    install_schedules()


class OpsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "ops"
    verbose_name = "Operations"

    def ready(self) -> None:
        post_migrate.connect(_install_schedules, dispatch_uid="ops.schedules")
        checks.register(check_base_url)
