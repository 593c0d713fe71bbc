from django.apps import AppConfig, apps
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate


def _sync_roles_after_migrate(sender, using="default", **kwargs) -> None:
    # post_migrate fires once per app with models, in INSTALLED_APPS order; acting on
    # the last one means every app's permissions exist by then.
    last_app = [app for app in apps.get_app_configs() if app.models_module][-1]
    if sender.label != last_app.label:
        return
    # apps.py is imported before models load; services import them
    from accounts.services import sync_role_groups

    sync_role_groups(using=using)


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        post_migrate.connect(_sync_roles_after_migrate, dispatch_uid="accounts.roles")
        # Registers the sign-in receiver that applies directory groups (#14).
        from accounts import sso  # noqa: F401


class RepairAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the superusers-only site (accounts.permissions)."""

    default_site = "accounts.permissions.RepairAdminSite"
    # Listed by its path in INSTALLED_APPS; "accounts" means AccountsConfig.
    default = False
