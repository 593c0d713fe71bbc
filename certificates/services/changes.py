"""Changing a certificate's status: revoke, supersede, name corrections, reissue.

Called by the coordinator's views, the reissue command and demo.py. The old record
and its PDF always stay; only status fields move.
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certificates.codes import new_code
from certificates.models import Certificate, NameCorrection
from certificates.pdf import PageOverflow, render_certificates
from certificates.services.issuing import (
    CertificateStateError,
    ToIssue,
    queue_email_sweep,
    store_certificate,
)
from certificates.snapshots import (
    CertificateSnapshot,
    build_snapshot,
    missing_content,
)

logger = logging.getLogger(__name__)


@transaction.atomic
def revoke_certificate(*, certificate: Certificate, actor, reason: str) -> Certificate:
    """Revoke with a reason; revoking a revoked certificate changes nothing."""
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.status == Certificate.Status.REVOKED:
        return certificate
    if certificate.status != Certificate.Status.VALID:
        raise CertificateStateError(
            _("Only a valid certificate can be revoked; this one is %(status)s.")
            % {"status": certificate.get_status_display().lower()}
        )
    if not reason.strip():
        raise CertificateStateError(_("Give a reason for revoking the certificate."))
    certificate.status = Certificate.Status.REVOKED
    certificate.status_reason = reason.strip()
    certificate.status_changed_at = timezone.now()
    certificate.status_changed_by = actor
    certificate.save(
        update_fields=[
            "status",
            "status_reason",
            "status_changed_at",
            "status_changed_by",
        ]
    )
    logger.info("Certificate %s revoked", certificate.uuid)
    return certificate


@transaction.atomic
def supersede_certificate(
    *, certificate: Certificate, snapshot: CertificateSnapshot, actor, reason: str
) -> Certificate:
    """Replace a valid certificate by one printing `snapshot`; the old one stays."""
    old = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if old.status != Certificate.Status.VALID:
        raise CertificateStateError(
            _("Only a valid certificate can be replaced; this one is %(status)s.")
            % {"status": old.get_status_display().lower()}
        )
    template = old.template
    code = new_code()
    [rendered] = render_certificates([(snapshot, code)], template=template)
    if isinstance(rendered, PageOverflow):
        raise CertificateStateError(
            _("The certificate's text does not fit on its page: %(detail)s")
            % {"detail": rendered}
        )
    old.status = Certificate.Status.SUPERSEDED
    old.status_reason = reason
    old.status_changed_at = timezone.now()
    old.status_changed_by = actor
    old.save(
        update_fields=[
            "status",
            "status_reason",
            "status_changed_at",
            "status_changed_by",
        ]
    )
    new = store_certificate(
        ToIssue(claim=old.claim, snapshot=snapshot, code=code),
        rendered.data,
        template=template,
        issued_by=actor,
        supersedes=old,
    )
    if new is None:
        raise CertificateStateError(_("Another valid certificate already exists."))
    queue_email_sweep()
    return new


def request_name_correction(
    *, certificate: Certificate, learner, requested_name: str, reason: str = ""
) -> NameCorrection:
    if certificate.learner_id != learner.pk:
        raise CertificateStateError(_("This is not your certificate."))
    if certificate.status != Certificate.Status.VALID:
        raise CertificateStateError(_("Only a valid certificate can be corrected."))
    requested_name = requested_name.strip()
    if not requested_name:
        raise CertificateStateError(_("Enter your name as it should print."))
    if requested_name == certificate.snapshot["learner_name"]:
        raise CertificateStateError(_("That is already the name on the certificate."))
    if certificate.name_corrections.filter(
        status=NameCorrection.Status.PENDING
    ).exists():
        raise CertificateStateError(
            _("A correction for this certificate is already waiting for review.")
        )
    return NameCorrection.objects.create(
        certificate=certificate, requested_name=requested_name, reason=reason.strip()
    )


def _lock_pending(correction: NameCorrection) -> NameCorrection:
    correction = NameCorrection.objects.select_for_update().get(pk=correction.pk)
    if correction.status != NameCorrection.Status.PENDING:
        raise CertificateStateError(_("This request has already been decided."))
    return correction


@transaction.atomic
def approve_name_correction(
    *, correction: NameCorrection, coordinator, note: str = ""
) -> Certificate:
    """Issue a corrected certificate that supersedes the old one."""
    correction = _lock_pending(correction)
    old = correction.certificate
    snapshot = CertificateSnapshot.from_json(old.snapshot).renamed(
        correction.requested_name
    )
    reason = _("Name corrected at the learner's request.")
    if note.strip():
        reason = f"{reason} {note.strip()}"
    new = supersede_certificate(
        certificate=old, snapshot=snapshot, actor=coordinator, reason=reason
    )
    correction.status = NameCorrection.Status.APPROVED
    correction.decided_at = timezone.now()
    correction.decided_by = coordinator
    correction.decision_note = note.strip()
    correction.replacement = new
    correction.save()
    return new


@transaction.atomic
def decline_name_correction(
    *, correction: NameCorrection, coordinator, note: str
) -> NameCorrection:
    correction = _lock_pending(correction)
    if not note.strip():
        raise CertificateStateError(_("Tell the learner why the request is declined."))
    correction.status = NameCorrection.Status.DECLINED
    correction.decided_at = timezone.now()
    correction.decided_by = coordinator
    correction.decision_note = note.strip()
    correction.save()
    return correction


@dataclass(frozen=True)
class ReissuePlan:
    certificate: Certificate
    snapshot: CertificateSnapshot
    changes: dict[str, tuple[str, str]]


def plan_reissue(*, certificates) -> list[ReissuePlan]:
    """For each valid certificate, what a reissue with today's data would change.

    The name stays as printed (name changes go through corrections); everything
    else is read again from the activity, the claim and the current template.
    """
    plans = []
    for certificate in certificates.filter(status=Certificate.Status.VALID):
        fresh = build_snapshot(
            claim=certificate.claim,
            name=certificate.snapshot["learner_name"],
            template=certificate.template,
        )
        changes = {
            key: (certificate.snapshot.get(key, ""), value)
            for key, value in fresh.as_json().items()
            if certificate.snapshot.get(key, "") != value
        }
        plans.append(ReissuePlan(certificate, fresh, changes))
    return plans


def reissue_certificates(*, plans: Sequence[ReissuePlan], actor, reason: str):
    """Supersede every planned certificate that has changes; returns the new ones."""
    return [
        supersede_certificate(
            certificate=plan.certificate,
            snapshot=plan.snapshot,
            actor=actor,
            reason=reason,
        )
        for plan in plans
        if plan.changes and not missing_content(plan.snapshot)
    ]
