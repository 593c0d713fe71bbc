from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _after_migrate(sender, **kwargs) -> None:
    if sender.label != "visits":
        return
    from visits.services.catalogue import ensure_standard_catalogue

    ensure_standard_catalogue()


class VisitsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "visits"
    verbose_name = "Patient visits"

    def ready(self) -> None:
        post_migrate.connect(_after_migrate, dispatch_uid="visits.after_migrate")
