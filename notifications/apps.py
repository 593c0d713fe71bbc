from django.apps import AppConfig


def _forget_devices(sender, *, person, **kwargs):
    # apps.py is imported before models load; services import them
    from notifications.services import forget_devices_of

    return forget_devices_of(person=person)


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        # AppConfig.ready: accounts.services imports models, which load after apps
        from accounts.services import person_deactivated

        person_deactivated.connect(
            _forget_devices, dispatch_uid="notifications.leaving"
        )
