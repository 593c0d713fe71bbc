"""Certificates' write API (issuing, status changes, transcripts, emails).

Callers import from here; the modules below split the work by topic.
"""

from certificates.services.changes import (
    ReissuePlan,
    approve_name_correction,
    decline_name_correction,
    plan_reissue,
    reissue_certificates,
    request_name_correction,
    revoke_certificate,
    supersede_certificate,
)
from certificates.services.issuing import (
    CertificateStateError,
    Fix,
    IssuingOutcome,
    IssuingRefused,
    default_template,
    enqueue_certificate_issuing,
    issue_certificate,
    issue_certificates,
    issue_run_chunk,
    queue_issuing_chunks,
    start_issuing_run,
)
from certificates.services.notifications import (
    send_certificate_email,
    send_pending_certificate_emails,
)
from certificates.services.transcripts import issue_transcript, transcript_summary

__all__ = [
    "CertificateStateError",
    "Fix",
    "IssuingOutcome",
    "IssuingRefused",
    "ReissuePlan",
    "approve_name_correction",
    "decline_name_correction",
    "default_template",
    "enqueue_certificate_issuing",
    "issue_certificate",
    "issue_certificates",
    "issue_run_chunk",
    "queue_issuing_chunks",
    "issue_transcript",
    "plan_reissue",
    "reissue_certificates",
    "request_name_correction",
    "revoke_certificate",
    "send_certificate_email",
    "send_pending_certificate_emails",
    "start_issuing_run",
    "supersede_certificate",
    "transcript_summary",
]
