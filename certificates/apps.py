from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "certificates"
    verbose_name = "Certificates"

    def ready(self) -> None:
        from certificates.handlers import on_credit_claimed
        from courses.services import credit_claimed

        credit_claimed.connect(on_credit_claimed, dispatch_uid="certificates.issue")
