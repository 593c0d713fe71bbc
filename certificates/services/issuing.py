"""Issuing certificates: one claim, many claims, and chunked issuing runs.

Called by tasks (credit claimed, issuing runs), demo.py and the bench; views and
commands start runs through start_issuing_run.
"""

import hashlib
import logging
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import islice

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _
from django_q.tasks import async_task

from certificates.codes import new_code
from certificates.models import Certificate, CertificateTemplate, IssuingRun
from certificates.pdf import PageOverflow, fewer_full_collections
from certificates.rendering import render_certificates, sheet_order
from certificates.snapshots import build_snapshot, missing_content, snapshot_digest
from courses.models import CreditClaim

logger = logging.getLogger(__name__)

# Open Badges revocation list length in bits (a W3C Bitstring Status List); each
# certificate takes a random free position so the index reveals nothing.
STATUS_LIST_SIZE = 2**20
ISSUING_CHUNK_SIZE = 100
# Rendered certificates are inserted this many at a time.
STORE_BATCH_SIZE = 100


class Fix:
    """What a coordinator can do about a refusal; the run page links each to a page."""

    ENROLMENT = "enrolment"  # the learner has not finished the activity
    REVOKED = "revoked"  # a coordinator revoked this claim's certificate
    LEARNER = "learner"  # the learner's own details (their name) are missing
    ACTIVITY = "activity"  # the activity page lacks what the certificate prints
    TEMPLATE = "template"  # the certificate template's text does not fit


class IssuingRefused(Exception):
    """Issuing was refused; `reason` is a full sentence for people."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class CertificateStateError(Exception):
    """The certificate is not in a state that allows this change."""


@dataclass
class IssuingOutcome:
    issued: list[Certificate] = field(default_factory=list)
    existing: list[Certificate] = field(default_factory=list)
    # (claim, reason for people, Fix kind)
    refused: list[tuple[object, str, str]] = field(default_factory=list)


def default_template() -> CertificateTemplate:
    template = CertificateTemplate.objects.filter(is_default=True).first()
    if template is None:
        template, _created = CertificateTemplate.objects.get_or_create(
            name="Standard",
            defaults={
                "is_default": True,
                "signatory_name": "TeleCampus CME Office",
                "signatory_title": "Director of Continuing Medical Education",
            },
        )
    return template


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _refuse(claim, reason: str, fix: str) -> tuple[object, str, str]:
    logger.warning("Certificate not issued for claim %s: %s", claim.uuid, reason)
    return claim, reason, fix


def _existing_valid(*, learner_id, activity_id, credit_type) -> Certificate | None:
    return (
        Certificate.objects.valid()
        .filter(learner_id=learner_id, activity_id=activity_id, credit_type=credit_type)
        .first()
    )


def _holder_key(claim) -> tuple:
    """What at most one valid certificate exists for."""
    return (claim.enrolment.learner_id, claim.enrolment.activity_id, claim.credit_type)


def _valid_certificates_for(claims: Sequence) -> dict[tuple, Certificate]:
    found = Certificate.objects.valid().filter(
        learner_id__in={claim.enrolment.learner_id for claim in claims},
        activity_id__in={claim.enrolment.activity_id for claim in claims},
    )
    return {
        (certificate.learner_id, certificate.activity_id, certificate.credit_type): (
            certificate
        )
        for certificate in found
    }


def _completion_refusal(claim) -> str | None:
    enrolment = claim.enrolment
    if enrolment.status != type(enrolment).Status.COMPLETE:
        return _("The enrolment is not complete, so no certificate can be issued.")
    return None


def _unsaved_certificate(
    *,
    claim,
    snapshot: dict,
    code: str,
    data: bytes,
    template: CertificateTemplate,
    issued_by,
    supersedes: Certificate | None = None,
    status_list_index: int | None = None,
) -> Certificate:
    """A certificate row ready to insert, its PDF already in storage."""
    enrolment = claim.enrolment
    certificate = Certificate(
        code=code,
        learner_id=enrolment.learner_id,
        claim=claim,
        activity_id=enrolment.activity_id,
        credit_type=claim.credit_type,
        credit_amount=claim.amount,
        credit_date=snapshot["credit_date"],
        snapshot=snapshot,
        snapshot_sha256=snapshot_digest(snapshot),
        template=template,
        template_version=int(snapshot["template_version"]),
        pdf_sha256=_digest(data),
        issued_at=timezone.now(),
        issued_by=issued_by,
        supersedes=supersedes,
        status_list_index=(
            secrets.randbelow(STATUS_LIST_SIZE)
            if status_list_index is None
            else status_list_index
        ),
    )
    certificate.pdf.save("certificate.pdf", ContentFile(data), save=False)
    return certificate


def store_certificate(
    *,
    claim,
    snapshot: dict,
    code: str,
    data: bytes,
    template: CertificateTemplate,
    issued_by,
    supersedes: Certificate | None = None,
) -> Certificate | None:
    """Save one rendered certificate; None when another issuer got there first."""
    for _attempt in range(3):
        certificate = _unsaved_certificate(
            claim=claim,
            snapshot=snapshot,
            code=code,
            data=data,
            template=template,
            issued_by=issued_by,
            supersedes=supersedes,
        )
        try:
            with transaction.atomic():
                certificate.save()
        except IntegrityError:
            certificate.pdf.storage.delete(certificate.pdf.name)
            if _existing_valid(
                learner_id=claim.enrolment.learner_id,
                activity_id=claim.enrolment.activity_id,
                credit_type=claim.credit_type,
            ):
                return None
            # A clash of random status index (or code, which is printed): the PDF
            # shows the code, so a new code means rendering again.
            if Certificate.objects.filter(code=code).exists():
                raise
            continue
        return certificate
    raise IntegrityError("No free position in the revocation status list.")


def _free_status_indexes(count: int) -> list[int]:
    """Random positions in the revocation list that no certificate holds yet.

    Drawn and checked in one query (redrawing the few that are taken), because
    with tens of thousands of certificates a batch of random draws would clash
    on most inserts otherwise."""
    chosen: set[int] = set()
    while len(chosen) < count:
        candidates = {
            secrets.randbelow(STATUS_LIST_SIZE) for _ in range(count - len(chosen))
        } - chosen
        taken = Certificate.objects.filter(
            status_list_index__in=candidates
        ).values_list("status_list_index", flat=True)
        chosen |= candidates - set(taken)
    return list(chosen)


def _store_batch(
    batch: list[tuple], *, template: CertificateTemplate, issued_by
) -> list[Certificate | None]:
    """Insert a batch of rendered certificates in one statement; if anything
    clashes (another issuer got there first), fall back to one at a time, which
    sorts out each clash."""
    certificates = [
        _unsaved_certificate(
            claim=claim,
            snapshot=snapshot,
            code=code,
            data=data,
            template=template,
            issued_by=issued_by,
            status_list_index=index,
        )
        for ((claim, snapshot, code), data), index in zip(
            batch, _free_status_indexes(len(batch)), strict=True
        )
    ]
    try:
        with transaction.atomic():
            return Certificate.objects.bulk_create(certificates)
    except IntegrityError:
        for certificate in certificates:
            certificate.pdf.storage.delete(certificate.pdf.name)
    return [
        store_certificate(
            claim=claim,
            snapshot=snapshot,
            code=code,
            data=data,
            template=template,
            issued_by=issued_by,
        )
        for (claim, snapshot, code), data in batch
    ]


def queue_email_sweep() -> None:
    """One sweep mails every new certificate (a bulk run queues one task per chunk,
    not one per learner); the periodic schedule catches anything left over."""
    transaction.on_commit(
        lambda: async_task("certificates.tasks.send_certificate_emails_task")
    )


def _store_rendered(
    batch: list[tuple], outcome: IssuingOutcome, *, template, issued_by
) -> None:
    printable = []
    for (claim, snapshot, code), data in batch:
        if isinstance(data, PageOverflow):
            outcome.refused.append(
                _refuse(
                    claim,
                    _("The certificate's text does not fit on its page: %(detail)s")
                    % {"detail": data},
                    Fix.TEMPLATE,
                )
            )
        else:
            printable.append(((claim, snapshot, code), data))
    stored = _store_batch(printable, template=template, issued_by=issued_by)
    for ((claim, _snapshot, _code), _data), certificate in zip(
        printable, stored, strict=True
    ):
        if certificate is None:
            outcome.existing.append(
                _existing_valid(
                    learner_id=claim.enrolment.learner_id,
                    activity_id=claim.enrolment.activity_id,
                    credit_type=claim.credit_type,
                )
            )
        else:
            outcome.issued.append(certificate)


def issue_certificates(
    *, claims: Sequence, issued_by=None, template: CertificateTemplate | None = None
) -> IssuingOutcome:
    """Issue one certificate per claim, rendering them in batches.

    Idempotent: a claim whose learner already holds a valid certificate for the same
    activity and credit type gets that one back (a partial unique constraint backs
    this up against concurrent issuers). Refusals are logged with their reason.
    """
    template = template or default_template()
    claims = list(claims)
    outcome = IssuingOutcome()
    valid = _valid_certificates_for(claims)
    revoked = set(
        Certificate.objects.filter(
            claim__in=claims, status=Certificate.Status.REVOKED
        ).values_list("claim_id", flat=True)
    )
    prefetch_related_objects([claim.activity for claim in claims], "designations")
    to_render = []
    for claim in claims:
        if existing := valid.get(_holder_key(claim)):
            outcome.existing.append(existing)
            continue
        if claim.pk in revoked:
            outcome.refused.append(
                _refuse(
                    claim,
                    _(
                        "The certificate for this claim was revoked, so it is not "
                        "issued again."
                    ),
                    Fix.REVOKED,
                )
            )
            continue
        if refusal := _completion_refusal(claim):
            outcome.refused.append(_refuse(claim, refusal, Fix.ENROLMENT))
            continue
        snapshot = build_snapshot(
            claim=claim, name=claim.enrolment.learner.full_name, template=template
        )
        if missing := missing_content(snapshot):
            fix = (
                Fix.LEARNER
                if all(item.field == "learner_name" for item in missing)
                else Fix.ACTIVITY
            )
            outcome.refused.append(
                _refuse(claim, " ".join(item.reason for item in missing), fix)
            )
            continue
        to_render.append((claim, snapshot, new_code()))
    to_render.sort(key=lambda item: sheet_order(item[1]))
    with fewer_full_collections():
        rendered = zip(
            to_render,
            render_certificates(
                [(snapshot, code) for _claim, snapshot, code in to_render],
                template=template,
            ),
            strict=True,
        )
        while batch := list(islice(rendered, STORE_BATCH_SIZE)):
            _store_rendered(batch, outcome, template=template, issued_by=issued_by)
    if outcome.issued:
        queue_email_sweep()
    return outcome


def issue_certificate(*, claim, issued_by=None) -> Certificate:
    """Issue (or return the existing) certificate for one claim, or IssuingRefused."""
    outcome = issue_certificates(claims=[claim], issued_by=issued_by)
    if outcome.refused:
        raise IssuingRefused(outcome.refused[0][1])
    return (outcome.issued or outcome.existing)[0]


def enqueue_certificate_issuing(*, claim) -> None:
    """What the credit-claimed signal does: issue on the queue, after commit."""
    transaction.on_commit(
        lambda uuid=str(claim.uuid): async_task(
            "certificates.tasks.issue_certificate_task", uuid
        )
    )


def start_issuing_run(*, activity, claims, requested_by=None) -> IssuingRun:
    """Queue bulk issuing for these claims of one activity, in chunks."""
    uuids = [str(claim.uuid) for claim in claims]
    run = IssuingRun.objects.create(
        activity=activity,
        requested_by=requested_by,
        claim_uuids=uuids,
        total=len(uuids),
        status=IssuingRun.Status.RUNNING if uuids else IssuingRun.Status.FINISHED,
        finished_at=None if uuids else timezone.now(),
    )
    if uuids:
        transaction.on_commit(
            lambda: async_task("certificates.tasks.issue_run_chunk_task", str(run.uuid))
        )
    return run


@transaction.atomic
def issue_next_chunk(
    *, run: IssuingRun, chunk_size: int = ISSUING_CHUNK_SIZE
) -> IssuingRun:
    """Issue the next chunk of a run and queue the one after; safe to run twice."""
    run = IssuingRun.objects.select_for_update().get(pk=run.pk)
    if run.status == IssuingRun.Status.FINISHED:
        return run
    batch = run.claim_uuids[run.done : run.done + chunk_size]
    claims = list(
        CreditClaim.objects.filter(uuid__in=batch).select_related(
            "enrolment__learner", "enrolment__activity"
        )
    )
    outcome = issue_certificates(claims=claims, issued_by=run.requested_by)
    run.done += len(batch)
    run.issued += len(outcome.issued)
    run.refused += len(outcome.refused)
    run.refusals = [
        *run.refusals,
        *(
            {
                "claim": str(claim.uuid),
                "enrolment": str(claim.enrolment.uuid),
                "learner": str(claim.enrolment.learner),
                "learner_email": claim.enrolment.learner.email,
                "reason": reason,
                "fix": fix,
            }
            for claim, reason, fix in outcome.refused
        ),
    ]
    if run.done >= run.total:
        run.status = IssuingRun.Status.FINISHED
        run.finished_at = timezone.now()
    else:
        transaction.on_commit(
            lambda: async_task("certificates.tasks.issue_run_chunk_task", str(run.uuid))
        )
    run.save()
    return run
