"""What the public verification page and JSON show: status, reason, and the
snapshot's name, activity, date and credits. Nothing else leaves the database."""

from django.conf import settings
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from certificates.codes import normalise_code
from certificates.models import Certificate, Transcript


def verification_url(code: str) -> str:
    """The public page a certificate's QR code and emails point at."""
    return settings.BASE_URL + reverse("certificates:verify", args=[code])


def find_by_code(text: str) -> Certificate | Transcript | None:
    code = normalise_code(text)
    if code is None:
        return None
    certificate = (
        Certificate.objects.select_related("superseded_by").filter(code=code).first()
    )
    return certificate or Transcript.objects.filter(code=code).first()


def _day(moment) -> str:
    return moment.date().isoformat() if moment else ""


def certificate_status_sentence(certificate: Certificate) -> str:
    changed = (
        formats.date_format(certificate.status_changed_at, "DATE_FORMAT")
        if certificate.status_changed_at
        else ""
    )
    if certificate.status == Certificate.Status.REVOKED:
        return _("This certificate was revoked on %(date)s. Reason: %(reason)s") % {
            "date": changed,
            "reason": certificate.status_reason,
        }
    if certificate.status == Certificate.Status.SUPERSEDED:
        replacement = getattr(certificate, "superseded_by", None)
        return _(
            "This certificate was superseded by %(code)s on %(date)s. "
            "Reason: %(reason)s"
        ) % {
            "code": replacement.code if replacement else "",
            "date": changed,
            "reason": certificate.status_reason,
        }
    return _("This certificate is valid.")


def public_record(record: Certificate | Transcript) -> dict:
    if isinstance(record, Transcript):
        snap = record.snapshot
        return {
            "kind": "transcript",
            "code": record.code,
            "status": "valid",
            "status_text": _("This transcript is authentic."),
            "issued_on": _day(record.issued_at),
            "learner_name": snap["learner_name"],
            "date_from": snap["date_from"],
            "date_to": snap["date_to"],
            "totals": [
                {"credit_type": t["credit_type_label"], "amount": t["amount"]}
                for t in snap["totals"]
            ],
        }
    snap = record.snapshot
    replacement = getattr(record, "superseded_by", None)
    return {
        "kind": "certificate",
        "code": record.code,
        "status": record.status,
        "status_text": certificate_status_sentence(record),
        "status_reason": record.status_reason,
        "status_changed_on": _day(record.status_changed_at),
        "superseded_by": replacement.code
        if record.status == Certificate.Status.SUPERSEDED and replacement
        else None,
        "learner_name": snap["learner_name"],
        "activity_title": snap["activity_title"],
        "credit_date": snap["credit_date"],
        "credit_date_display": snap["credit_date_display"],
        "credits": snap["credit_amount"],
        "credit_type": snap["credit_type_label"],
    }
