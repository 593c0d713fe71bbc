from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


def _set_up_after_migrate(sender, using="default", **kwargs) -> None:
    # Acting on the last app's post_migrate means every app's tables and
    # permissions (wagtailcore's page permissions included) exist by then.
    last_app = [app for app in apps.get_app_configs() if app.models_module][-1]
    if sender.label != last_app.label:
        return
    # apps.py is imported before models load; cms.setup imports them
    from cms.setup import run_setup

    run_setup()


class CmsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cms"
    verbose_name = "Patient education"

    def ready(self) -> None:
        from cms import signals  # noqa: F401 - connects the signal handlers

        post_migrate.connect(_set_up_after_migrate, dispatch_uid="cms.setup")
