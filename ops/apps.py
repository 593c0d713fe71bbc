from django.apps import AppConfig
from django.db import transaction
from django.db.models.signals import post_migrate
from post_office.signals import email_queued


def _install_schedules(sender, **kwargs) -> None:
    # ops has no models, so it gets no post_migrate of its own: hang the schedules
    # off django-q2's, whose tables they live in (every app's tables exist by then).
    if sender.label != "django_q":
        return
    # apps.py is imported before models load; services import them
    from ops.services import install_schedules

    install_schedules()


def _deliver_soon(sender, **kwargs) -> None:
    # A message was stored in the outbox: deliver it once the sender's transaction
    # commits (the row is invisible to the worker before), not a minute later.
    # One delivery task per transaction, however many messages it stored (an alert
    # to 10,000 subscribers): one run sends them all, and the one-minute schedule
    # picks up whatever that run left.
    # apps.py is imported before models load; django_q.tasks imports its models
    from django_q.tasks import async_task

    connection = transaction.get_connection()
    pending = getattr(connection, "_outbox_delivery_pending", None)
    # Still waiting in this transaction's on-commit list (a rolled-back savepoint
    # drops its callbacks, and with them the promise to deliver).
    if pending is not None and any(
        func is pending for _sids, func, _robust in connection.run_on_commit
    ):
        return

    def deliver() -> None:
        connection._outbox_delivery_pending = None
        async_task("ops.tasks.send_queued_email_task")

    connection._outbox_delivery_pending = deliver
    transaction.on_commit(deliver)


class OpsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "ops"
    verbose_name = "Operations"

    def ready(self) -> None:
        from ops import checks  # noqa: F401 - registers the production checks

        post_migrate.connect(_install_schedules, dispatch_uid="ops.schedules")
        email_queued.connect(_deliver_soon, dispatch_uid="ops.deliver_soon")
