from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_email_sweep(sender, **kwargs) -> None:
    if sender.label != "certificates":
        return
    from certificates.services import ensure_email_sweep_schedule

    ensure_email_sweep_schedule()


class CertificatesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "certificates"
    verbose_name = "Certificates"

    def ready(self) -> None:
        from certificates.handlers import on_credit_claimed
        from courses.signals import credit_claimed

        credit_claimed.connect(on_credit_claimed, dispatch_uid="certificates.issue")
        post_migrate.connect(_ensure_email_sweep, dispatch_uid="certificates.emails")
