"""The one upward trigger: a credit claim in courses queues a certificate.

CertificatesConfig.ready imports this module, which connects the handler."""

from django.dispatch import receiver

from certificates import services
from courses.services import credit_claimed


@receiver(credit_claimed, dispatch_uid="certificates.issue")
def on_credit_claimed(sender, claim, **kwargs) -> None:
    services.enqueue_certificate_issuing(claim=claim)
