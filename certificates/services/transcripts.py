"""Transcripts: a learner's valid credits over a date range, as a page and a PDF.

Called by the transcript views. Revoked and superseded certificates never count:
a superseded certificate's credits are carried by the certificate replacing it.
"""

import datetime
import hashlib
from collections import defaultdict
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from certificates.codes import new_code
from certificates.models import Certificate, Transcript
from certificates.pdf import render_transcript
from certificates.snapshots import snapshot_digest
from courses.services import format_amount


def transcript_summary(
    *, learner, date_from: datetime.date, date_to: datetime.date
) -> dict:
    """Rows and totals per credit type, as printable strings."""
    certificates = (
        Certificate.objects.valid()
        .filter(learner=learner, credit_date__gte=date_from, credit_date__lte=date_to)
        .order_by("credit_date", "issued_at")
    )
    rows = []
    totals: dict[str, Decimal] = defaultdict(Decimal)
    labels: dict[str, str] = {}
    for certificate in certificates:
        snap = certificate.snapshot
        rows.append(
            {
                "credit_date_display": snap["credit_date_display"],
                "activity_title": snap["activity_title"],
                "activity_format": snap["activity_format"],
                "credit_type_label": snap["credit_type_label"],
                "credit_amount": snap["credit_amount"],
                "code": certificate.code,
            }
        )
        totals[certificate.credit_type] += certificate.credit_amount
        labels[certificate.credit_type] = snap["credit_type_label"]
    return {
        "title": _("Continuing education transcript"),
        "learner_name": learner.full_name or learner.get_username(),
        "date_from": date_from.isoformat(),
        "date_to": date_to.isoformat(),
        "date_from_display": formats.date_format(date_from, "DATE_FORMAT"),
        "date_to_display": formats.date_format(date_to, "DATE_FORMAT"),
        "rows": rows,
        "totals": [
            {
                "credit_type": key,
                "credit_type_label": labels[key],
                "amount": format_amount(value),
            }
            for key, value in sorted(totals.items())
        ],
    }


@transaction.atomic
def issue_transcript(
    *, learner, date_from: datetime.date, date_to: datetime.date
) -> Transcript:
    """Freeze the summary, print it with its own verification code, and store it."""
    if date_from > date_to:
        raise ValueError(_("The start date must be on or before the end date."))
    now = timezone.now()
    snapshot = {
        **transcript_summary(learner=learner, date_from=date_from, date_to=date_to),
        "issued_on_display": formats.date_format(now.date(), "DATE_FORMAT"),
    }
    code = new_code()
    data = render_transcript(snapshot=snapshot, code=code)
    transcript = Transcript(
        code=code,
        learner=learner,
        date_from=date_from,
        date_to=date_to,
        snapshot=snapshot,
        snapshot_sha256=snapshot_digest(snapshot),
        pdf_sha256=hashlib.sha256(data).hexdigest(),
        issued_at=now,
    )
    transcript.pdf.save(f"{transcript.uuid}.pdf", ContentFile(data), save=False)
    transcript.save()
    return transcript
