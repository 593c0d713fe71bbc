"""Queue tasks for certificates (django-q2). Each loads its object and calls one
service; each is safe to run twice. Enqueued by certificates.services only."""

import logging

from django_q.models import Schedule

from certificates import services
from certificates.models import IssuingRun
from courses.models import CreditClaim

logger = logging.getLogger(__name__)

# Installed after migrate by ops.services.install_schedules: mails anything the
# sweep queued after each issue missed.
SCHEDULES = [
    {
        "name": services.notifications.EMAIL_SWEEP_SCHEDULE_NAME,
        "func": "certificates.tasks.send_certificate_emails_task",
        "schedule_type": Schedule.MINUTES,
        "minutes": 5,
    }
]


def issue_certificate_task(claim_uuid: str) -> str | None:
    claim = CreditClaim.objects.select_related(
        "enrolment__learner", "enrolment__activity"
    ).get(uuid=claim_uuid)
    try:
        return str(services.issue_certificate(claim=claim).uuid)
    except services.IssuingRefused:
        # Already logged with its reason by the service; nothing to retry.
        return None


def issue_run_chunk_task(run_uuid: str, index: int | None = None) -> int | None:
    run = IssuingRun.objects.get(uuid=run_uuid)
    if index is None:
        # Queued before runs had chunks (certificates 0004): queue the run's chunks.
        services.queue_issuing_chunks(run)
        return None
    chunk = services.issue_run_chunk(run=run, index=index)
    return None if chunk is None else chunk.stop - chunk.start


def send_certificate_emails_task() -> int:
    """The sweep: queued after issuing and every few minutes by its schedule."""
    return services.send_pending_certificate_emails()
