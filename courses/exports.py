"""Exports for coordinators: disclosure acknowledgements and the board (PARS) file.

Read-only; used by the Wagtail admin reports and `manage.py export_pars`.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import ProfessionalIdentifier
from accounts.services import csv_text
from courses.models import ActivityPage, CreditClaim, DisclosureAcknowledgement

# ACCME asks for learner completion data within 30 days of completion.
REPORTING_WINDOW = datetime.timedelta(days=30)

PARS_HEADER = [
    "board",
    "board_id",
    "first_name",
    "last_name",
    "birth_month",
    "birth_day",
    "completion_date",
    "credit_type",
    "amount",
    "older_than_30_days",
]


@dataclass(frozen=True)
class BlockedRow:
    learner: str
    credit_type: str
    reasons: list[str]


def _names(user) -> tuple[str, str]:
    if user.first_name or user.last_name:
        return user.first_name, user.last_name
    # full_name may carry credentials after a comma ("Dana Clinician, MD").
    parts = user.full_name.split(",")[0].split()
    return (" ".join(parts[:-1]), parts[-1]) if parts else ("", "")


def pars_rows(
    activity: ActivityPage, *, today: datetime.date | None = None
) -> tuple[list[list[str]], list[BlockedRow]]:
    """Reportable rows and the claims that cannot be reported, with reasons."""
    today = today or timezone.localdate()
    claims = (
        CreditClaim.objects.filter(enrolment__activity=activity)
        .select_related("enrolment__learner")
        .prefetch_related(
            Prefetch(
                "enrolment__learner__identifiers",
                queryset=ProfessionalIdentifier.objects.filter(
                    kind=ProfessionalIdentifier.Kind.BOARD
                ).order_by("issuer"),
                to_attr="board_ids",
            )
        )
        .order_by("claimed_at")
    )
    rows, blocked = [], []
    for claim in claims:
        learner = claim.enrolment.learner
        board_id = learner.board_ids[0] if learner.board_ids else None
        first, last = _names(learner)
        reasons = []
        if not learner.board_reporting_consent_at:
            reasons.append(_("no consent to board reporting"))
        if board_id is None:
            reasons.append(_("missing board ID"))
        if not (learner.birth_month and learner.birth_day):
            reasons.append(_("missing birth month and day"))
        if not last:
            reasons.append(_("missing name"))
        if reasons:
            blocked.append(
                BlockedRow(str(learner), claim.get_credit_type_display(), reasons)
            )
            continue
        completed = timezone.localdate(claim.claimed_at)
        rows.append(
            [
                board_id.issuer,
                board_id.number,
                first,
                last,
                str(learner.birth_month),
                str(learner.birth_day),
                completed.isoformat(),
                claim.credit_type,
                str(claim.amount),
                "yes" if today - completed > REPORTING_WINDOW else "no",
            ]
        )
    return rows, blocked


def to_csv(header: list[str], rows: list[list[str]]) -> str:
    return csv_text(header, rows)


ACKNOWLEDGEMENT_HEADER = [
    "learner",
    "learner_uuid",
    "enrolment_uuid",
    "acknowledged_at",
    "disclosure_version",
    "disclosure_text",
]


def acknowledgement_rows(activity: ActivityPage) -> list[list[str]]:
    acknowledgements = (
        DisclosureAcknowledgement.objects.filter(enrolment__activity=activity)
        .select_related("enrolment__learner")
        .order_by("acknowledged_at")
    )
    return [
        [
            str(ack.enrolment.learner),
            str(ack.enrolment.learner.uuid),
            str(ack.enrolment.uuid),
            ack.acknowledged_at.isoformat(),
            ack.disclosure_version,
            ack.disclosure_text,
        ]
        for ack in acknowledgements
    ]
