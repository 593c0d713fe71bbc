"""Issuing certificates: one claim, many claims, and chunked issuing runs.

Called by tasks (credit claimed, issuing runs), demo.py and the bench; views and
commands start runs through start_issuing_run.
"""

import hashlib
import logging
import os
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from itertools import islice

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _
from django_q.tasks import async_task

from accounts.services import Refusal
from certificates.codes import new_code
from certificates.models import (
    Certificate,
    CertificateTemplate,
    IssuingChunk,
    IssuingRun,
)
from certificates.pdf import (
    PageOverflow,
    RenderedCertificate,
    fewer_full_collections,
    render_certificates,
    sheet_order,
)
from certificates.snapshots import (
    CertificateSnapshot,
    build_snapshot,
    missing_content,
    snapshot_digest,
)
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


class IssuingRefused(Refusal):
    """Issuing was refused; `reason` (the Refusal's `message`) is a full sentence
    for people."""

    code = "issuing_refused"
    status = 409

    @property
    def reason(self) -> str:
        return self.message


class CertificateStateError(Refusal):
    """The certificate is not in a state that allows this change."""

    code = "certificate_state"
    status = 409


@dataclass(frozen=True)
class ToIssue:
    """A claim that passed every check, with what its certificate will print."""

    claim: CreditClaim
    snapshot: CertificateSnapshot
    code: str


@dataclass(frozen=True)
class Refused:
    claim: CreditClaim
    reason: str  # a full sentence for people
    fix: str  # a Fix kind: what the coordinator can do about it


@dataclass(frozen=True)
class RenderedWhole:
    """An issued certificate the compositor failed on, laid out whole instead
    (certificates.pdf, docs/decisions/0026)."""

    certificate: Certificate
    failure: str  # the compositor's error


@dataclass
class IssuingOutcome:
    issued: list[Certificate] = field(default_factory=list)
    existing: list[Certificate] = field(default_factory=list)
    refused: list[Refused] = field(default_factory=list)
    rendered_whole: list[RenderedWhole] = field(default_factory=list)


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


def _refuse(claim, reason: str, fix: str) -> Refused:
    logger.warning("Certificate not issued for claim %s: %s", claim.uuid, reason)
    return Refused(claim=claim, reason=reason, fix=fix)


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
    item: ToIssue,
    data: bytes,
    *,
    template: CertificateTemplate,
    issued_by,
    supersedes: Certificate | None = None,
    status_list_index: int | None = None,
    pdf_prefix: str = "",
) -> Certificate:
    """A certificate row ready to insert, its PDF already in storage (its name
    starting with `pdf_prefix`, see IssuingChunk)."""
    claim, snapshot = item.claim, item.snapshot
    enrolment = claim.enrolment
    certificate = Certificate(
        code=item.code,
        learner_id=enrolment.learner_id,
        claim=claim,
        activity_id=enrolment.activity_id,
        credit_type=claim.credit_type,
        credit_amount=claim.amount,
        credit_date=snapshot.credit_date,
        snapshot=snapshot.as_json(),
        snapshot_sha256=snapshot_digest(snapshot),
        template=template,
        template_version=int(snapshot.template_version),
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
    certificate.pdf_name_prefix = pdf_prefix
    certificate.pdf.save("certificate.pdf", ContentFile(data), save=False)
    return certificate


def store_certificate(
    item: ToIssue,
    data: bytes,
    *,
    template: CertificateTemplate,
    issued_by,
    supersedes: Certificate | None = None,
    pdf_prefix: str = "",
) -> Certificate | None:
    """Save one rendered certificate; None when another issuer got there first."""
    claim = item.claim
    for _attempt in range(3):
        certificate = _unsaved_certificate(
            item,
            data,
            template=template,
            issued_by=issued_by,
            supersedes=supersedes,
            pdf_prefix=pdf_prefix,
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
            if Certificate.objects.filter(code=item.code).exists():
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
    batch: list[tuple[ToIssue, bytes]],
    *,
    template: CertificateTemplate,
    issued_by,
    pdf_prefix: str,
) -> list[Certificate | None]:
    """Insert a batch of rendered certificates in one statement; if anything
    clashes (another issuer got there first), fall back to one at a time, which
    sorts out each clash."""
    certificates = [
        _unsaved_certificate(
            item,
            data,
            template=template,
            issued_by=issued_by,
            status_list_index=index,
            pdf_prefix=pdf_prefix,
        )
        for (item, data), index in zip(
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
            item,
            data,
            template=template,
            issued_by=issued_by,
            pdf_prefix=pdf_prefix,
        )
        for item, data in batch
    ]


def queue_email_sweep() -> None:
    """One sweep mails every new certificate (a bulk run queues one task per chunk,
    not one per learner); the periodic schedule catches anything left over."""
    transaction.on_commit(
        lambda: async_task("certificates.tasks.send_certificate_emails_task")
    )


def _store_rendered(
    batch: list[tuple[ToIssue, RenderedCertificate | PageOverflow]],
    outcome: IssuingOutcome,
    *,
    template,
    issued_by,
    pdf_prefix,
) -> None:
    printable, failures = [], []
    for item, rendered in batch:
        if isinstance(rendered, PageOverflow):
            outcome.refused.append(
                _refuse(
                    item.claim,
                    _("The certificate's text does not fit on its page: %(detail)s")
                    % {"detail": rendered},
                    Fix.TEMPLATE,
                )
            )
        else:
            printable.append((item, rendered.data))
            failures.append(rendered.composition_failure)
    stored = _store_batch(
        printable, template=template, issued_by=issued_by, pdf_prefix=pdf_prefix
    )
    for (item, _data), failure, certificate in zip(
        printable, failures, stored, strict=True
    ):
        if certificate is None:
            outcome.existing.append(
                _existing_valid(
                    learner_id=item.claim.enrolment.learner_id,
                    activity_id=item.claim.enrolment.activity_id,
                    credit_type=item.claim.credit_type,
                )
            )
            continue
        outcome.issued.append(certificate)
        if failure:
            outcome.rendered_whole.append(
                RenderedWhole(certificate=certificate, failure=failure)
            )


def issue_certificates(
    *,
    claims: Sequence,
    issued_by=None,
    template: CertificateTemplate | None = None,
    pdf_prefix: str = "",
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
        to_render.append(ToIssue(claim=claim, snapshot=snapshot, code=new_code()))
    to_render.sort(key=lambda item: sheet_order(item.snapshot))
    with fewer_full_collections():
        rendered = zip(
            to_render,
            render_certificates(
                [(item.snapshot, item.code) for item in to_render],
                template=template,
            ),
            strict=True,
        )
        while batch := list(islice(rendered, STORE_BATCH_SIZE)):
            _store_rendered(
                batch,
                outcome,
                template=template,
                issued_by=issued_by,
                pdf_prefix=pdf_prefix,
            )
    if outcome.issued:
        queue_email_sweep()
    return outcome


def issue_certificate(*, claim, issued_by=None) -> Certificate:
    """Issue (or return the existing) certificate for one claim, or IssuingRefused."""
    outcome = issue_certificates(claims=[claim], issued_by=issued_by)
    if outcome.refused:
        raise IssuingRefused(outcome.refused[0].reason)
    return (outcome.issued or outcome.existing)[0]


def enqueue_certificate_issuing(*, claim) -> None:
    """What the credit-claimed signal does: issue on the queue, after commit."""
    transaction.on_commit(
        lambda uuid=str(claim.uuid): async_task(
            "certificates.tasks.issue_certificate_task", uuid
        )
    )


@transaction.atomic
def start_issuing_run(
    *, activity, claims, requested_by=None, chunk_size: int = ISSUING_CHUNK_SIZE
) -> IssuingRun:
    """Queue bulk issuing for these claims of one activity: one task per chunk, all
    at once, so every worker takes some (docs/decisions/0019)."""
    uuids = [str(claim.uuid) for claim in claims]
    run = IssuingRun.objects.create(
        activity=activity,
        requested_by=requested_by,
        claim_uuids=uuids,
        total=len(uuids),
        status=IssuingRun.Status.RUNNING if uuids else IssuingRun.Status.FINISHED,
        finished_at=None if uuids else timezone.now(),
    )
    IssuingChunk.objects.bulk_create(
        IssuingChunk(
            run=run, index=index, start=start, stop=min(start + chunk_size, len(uuids))
        )
        for index, start in enumerate(range(0, len(uuids), chunk_size))
    )
    queue_issuing_chunks(run)
    return run


def queue_issuing_chunks(run: IssuingRun) -> None:
    """One task per unfinished chunk, after commit."""
    indexes = list(
        run.chunks.filter(finished_at__isnull=True).values_list("index", flat=True)
    )
    transaction.on_commit(
        lambda: [
            async_task("certificates.tasks.issue_run_chunk_task", str(run.uuid), index)
            for index in indexes
        ]
    )


def _worker_name() -> str:
    return f"{settings.NODE_NAME}:{os.getpid()}"


def _begin_attempt(*, run: IssuingRun, index: int) -> IssuingChunk | None:
    """Record a new attempt at a chunk (None if it is finished already) and delete
    what a crashed earlier attempt uploaded."""
    now = timezone.now()
    with transaction.atomic():
        chunk = IssuingChunk.objects.select_for_update().get(run=run, index=index)
        if chunk.finished_at is not None:
            return None
        # An earlier attempt older than the task timeout is dead: django-q2 kills
        # a task at `timeout` and hands it on only after `retry` (longer). A
        # younger one may still be uploading (the same chunk queued twice), so its
        # files stay; whichever attempt finishes first counts (_finish_chunk).
        crashed = (
            chunk.attempt
            if chunk.started_at is not None
            and now - chunk.started_at
            > timedelta(seconds=settings.Q_CLUSTER["timeout"])
            else ""
        )
        chunk.attempt = secrets.token_hex(8)
        chunk.attempts += 1
        chunk.worker = _worker_name()
        chunk.started_at = now
        chunk.save()
    if crashed:
        _delete_unrecorded_pdfs(prefix=crashed)
    return chunk


def _delete_unrecorded_pdfs(*, prefix: str) -> None:
    """Delete PDFs whose name starts with `prefix` and that no certificate names."""
    storage = Certificate._meta.get_field("pdf").storage
    folder = f"certificates/{prefix[:2]}"
    try:
        _folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    names = {f"{folder}/{name}" for name in files if name.startswith(prefix)}
    recorded = set(
        Certificate.objects.filter(pdf__in=names).values_list("pdf", flat=True)
    )
    for name in names - recorded:
        storage.delete(name)
    if names - recorded:
        logger.warning(
            "Deleted %d PDFs a crashed issuing attempt left without a certificate.",
            len(names - recorded),
        )


def _refusal_entries(outcome: IssuingOutcome) -> list[dict]:
    return [
        {
            "claim": str(refused.claim.uuid),
            "enrolment": str(refused.claim.enrolment.uuid),
            "learner": str(refused.claim.enrolment.learner),
            "learner_email": refused.claim.enrolment.learner.email,
            "reason": refused.reason,
            "fix": refused.fix,
        }
        for refused in outcome.refused
    ]


def _rendered_whole_entries(outcome: IssuingOutcome) -> list[dict]:
    return [
        {
            "claim": str(whole.certificate.claim.uuid),
            "learner": str(whole.certificate.claim.enrolment.learner),
            "code": whole.certificate.code,
            "failure": whole.failure,
        }
        for whole in outcome.rendered_whole
    ]


def _finish_chunk(chunk: IssuingChunk, outcome: IssuingOutcome) -> bool:
    """Mark the chunk finished and add its counts to the run, unless another
    attempt finished it first. Row locks only here, for the bookkeeping, so chunks
    render on every worker at once and queue only for these few statements."""
    if not IssuingChunk.objects.filter(pk=chunk.pk, finished_at__isnull=True).update(
        finished_at=timezone.now()
    ):
        return False
    run = IssuingRun.objects.select_for_update().get(pk=chunk.run_id)
    run.done += chunk.stop - chunk.start
    run.issued += len(outcome.issued)
    run.refused += len(outcome.refused)
    run.refusals = [*run.refusals, *_refusal_entries(outcome)]
    run.rendered_whole = [*run.rendered_whole, *_rendered_whole_entries(outcome)]
    if run.done >= run.total:
        run.status = IssuingRun.Status.FINISHED
        run.finished_at = timezone.now()
    run.save(
        update_fields=[
            "done",
            "issued",
            "refused",
            "refusals",
            "rendered_whole",
            "status",
            "finished_at",
        ]
    )
    return True


def issue_run_chunk(*, run: IssuingRun, index: int) -> IssuingChunk | None:
    """Issue one chunk of a run; safe to run twice, and alongside its other chunks.

    The chunk's certificates, its finished mark and the run's counts commit
    together: a worker killed half-way leaves no rows (and the next attempt deletes
    its files), so counts never include a claim twice or miss one."""
    chunk = _begin_attempt(run=run, index=index)
    if chunk is None:
        return None
    claims = list(
        CreditClaim.objects.filter(
            uuid__in=run.claim_uuids[chunk.start : chunk.stop]
        ).select_related("enrolment__learner", "enrolment__activity")
    )
    with transaction.atomic():
        outcome = issue_certificates(
            claims=claims, issued_by=run.requested_by, pdf_prefix=chunk.attempt
        )
        if not _finish_chunk(chunk, outcome):
            # Finished by another attempt meanwhile: its certificates stand.
            transaction.set_rollback(True)
            for certificate in outcome.issued:
                certificate.pdf.storage.delete(certificate.pdf.name)
            return None
    chunk.refresh_from_db()
    return chunk
