"""Emails to learners about their certificates. Called by tasks only: right after
issuing, and by the periodic sweep (one django-q schedule) for anything missed."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.services import send_email
from certificates.models import Certificate
from certificates.verification import verification_url

EMAIL_SWEEP_SCHEDULE_NAME = "certificates: email new certificates"
EMAIL_SWEEP_BATCH = 200


@transaction.atomic
def send_certificate_email(
    *, certificate: Certificate, skip_locked: bool = False
) -> bool:
    """Tell the learner their certificate is ready; queues the email at most once.

    send_email() only stores the message in the mail outbox, in this transaction
    (docs/decisions/0016): `email_sent_at` is when it was queued, and the outbox
    delivers it and retries a failing mail server. With `skip_locked`, a
    certificate someone else holds is left alone (False).
    """
    certificate = (
        Certificate.objects.select_for_update(skip_locked=skip_locked)
        .filter(pk=certificate.pk)
        .first()
    )
    if certificate is None:
        return False
    if certificate.email_sent_at is not None or not certificate.learner.email:
        return False
    context = {
        "name": certificate.snapshot["learner_name"],
        "activity": certificate.snapshot["activity_title"],
        "download_url": settings.BASE_URL
        + reverse("certificates:download", args=[certificate.uuid]),
        "mine_url": settings.BASE_URL + reverse("certificates:mine"),
        "verify_url": verification_url(certificate.code),
        "code": certificate.code,
    }
    send_email(
        "certificates/email/certificate_issued",
        context,
        to=[certificate.learner.email],
    )
    certificate.email_sent_at = timezone.now()
    certificate.save(update_fields=["email_sent_at"])
    return True


def send_pending_certificate_emails(*, limit: int = EMAIL_SWEEP_BATCH) -> int:
    """Queue mail for valid certificates not queued yet; returns how many.

    Chunks of a bulk run each queue a sweep and finish on several workers at once
    (docs/decisions/0019): a sweep skips the certificates another sweep is
    mailing, rather than waiting for each in turn and then finding it done."""
    pending = Certificate.objects.valid().filter(email_sent_at__isnull=True)
    return sum(
        send_certificate_email(certificate=certificate, skip_locked=True)
        for certificate in pending.order_by("issued_at")[:limit]
    )
