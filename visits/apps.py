from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _after_migrate(sender, **kwargs) -> None:
    if sender.label != "visits":
        return
    # apps.py is imported before models load; services import them
    from visits.services.catalogue import ensure_standard_catalogue

    ensure_standard_catalogue()


def _close_visit_doors(sender, *, person, actor, now, **kwargs):
    # apps.py is imported before models load; services import them
    from visits.services.leaving import close_visit_doors

    return close_visit_doors(person=person, actor=actor, now=now)


class VisitsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "visits"
    verbose_name = "Patient visits"

    def ready(self) -> None:
        post_migrate.connect(_after_migrate, dispatch_uid="visits.after_migrate")
        # AppConfig.ready: accounts.services imports models, which load after apps
        from accounts.services import person_deactivated

        person_deactivated.connect(_close_visit_doors, dispatch_uid="visits.leaving")
