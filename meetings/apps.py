from django.apps import AppConfig


def _close_meeting_doors(sender, *, person, now, **kwargs):
    # apps.py is imported before models load; services import them
    from meetings.services.leaving import close_meeting_doors

    return close_meeting_doors(person=person, now=now)


class MeetingsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "meetings"
    verbose_name = "Meetings"

    def ready(self) -> None:
        # AppConfig.ready: accounts.services imports models, which load after apps
        from accounts.services import person_deactivated

        person_deactivated.connect(
            _close_meeting_doors, dispatch_uid="meetings.leaving"
        )
