"""What a certificate prints, frozen at issue time, and the accreditor's checklist.

A snapshot is a `CertificateSnapshot`: strings only, stored on the certificate as
a flat JSON object (`as_json`, the shape every issued certificate has); everything
the PDF, the verification page and the Open Badges credential show comes from it,
never from live data.
"""

import hashlib
import json
from dataclasses import asdict, dataclass, field, fields, replace
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django.utils import formats
from django.utils.translation import gettext as _

from certificates.models import CertificateTemplate
from courses.models import CREDIT_RULES, CreditType
from courses.services import format_amount


@dataclass(frozen=True)
class MissingContent:
    field: str
    reason: str


# What each field of a snapshot is to the certificate renderer (certificates.pdf):
# SHEET fields print on the sheet that every learner of an activity shares; FILLED
# fields are the learner's own lines, which the sheet's slots get per learner; KEPT
# fields differ per learner but print nowhere (they are kept for the record).
SHEET = "sheet"
FILLED = "filled"
KEPT = "kept"


def _field(role: str = SHEET):
    return field(metadata={"role": role})


@dataclass(frozen=True)
class CertificateSnapshot:
    """Everything a certificate prints, as strings. The declared roles are the
    one place that says which fields are the learner's: the renderer lays out
    the sheet without them and fills its slots with the FILLED ones
    (tests/certificates/test_snapshots.py checks both against the template)."""

    learner_name: str = _field(FILLED)
    activity_title: str = _field()
    activity_format: str = _field()
    activity_format_code: str = _field()
    activity_dates: str = _field()
    time_zone: str = _field()
    location: str = _field()
    provider_name: str = _field()
    joint_provider_name: str = _field()
    credit_type: str = _field()
    credit_type_label: str = _field()
    credit_amount: str = _field(FILLED)
    credit_date: str = _field(KEPT)
    credit_date_display: str = _field(FILLED)
    designation_statement: str = _field()
    accreditation_statement: str = _field()
    heading: str = _field()
    preamble: str = _field()
    completion_wording: str = _field()
    signatory_name: str = _field()
    signatory_title: str = _field()
    template_version: str = _field()

    @classmethod
    def from_json(cls, data: dict) -> "CertificateSnapshot":
        """A stored snapshot back as its type. Keys a snapshot of an older shape
        lacks read as empty; the stored dict itself (and its digest) is never
        rewritten, so old certificates verify as issued."""
        return cls(**{name: data.get(name, "") for name in FIELD_NAMES})

    def as_json(self) -> dict[str, str]:
        """The stored shape: a flat dict of strings, key for key as issued before
        the type existed, so `snapshot_digest` is unchanged."""
        return asdict(self)

    def shared(self) -> dict[str, str]:
        """The fields the sheet prints: everything but the learner's."""
        return {k: v for k, v in self.as_json().items() if k not in LEARNER_FIELDS}

    def renamed(self, name: str) -> "CertificateSnapshot":
        return replace(self, learner_name=name)


FIELD_NAMES = tuple(f.name for f in fields(CertificateSnapshot))
# The learner's lines, filled into the sheet's slots per learner.
FILLED_FIELDS = frozenset(
    f.name for f in fields(CertificateSnapshot) if f.metadata["role"] == FILLED
)
# Every field that differs between learners of one activity: left out of the sheet
# (and of the key that groups learners onto one sheet).
LEARNER_FIELDS = frozenset(
    f.name for f in fields(CertificateSnapshot) if f.metadata["role"] != SHEET
)


def snapshot_digest(snapshot: "CertificateSnapshot | dict") -> str:
    if isinstance(snapshot, CertificateSnapshot):
        snapshot = snapshot.as_json()
    canonical = json.dumps(snapshot, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _activity_dates(activity) -> str:
    """Live activities print their session dates in the activity's time zone;
    enduring material prints its release date."""
    zone = ZoneInfo(activity.time_zone or "UTC")
    starts = getattr(activity, "session_starts_at", None)
    if starts is None:
        release = activity.start_date
        if release is None:
            return ""
        return _("Released on %(date)s") % {
            "date": formats.date_format(release, "DATE_FORMAT")
        }
    first = starts.astimezone(zone).date()
    ends = getattr(activity, "session_ends_at", None)
    last = ends.astimezone(zone).date() if ends else first
    if last == first:
        return formats.date_format(first, "DATE_FORMAT")
    return _("%(start)s to %(end)s") % {
        "start": formats.date_format(first, "DATE_FORMAT"),
        "end": formats.date_format(last, "DATE_FORMAT"),
    }


def build_snapshot(
    *, claim, name: str, template: CertificateTemplate
) -> CertificateSnapshot:
    """Everything printed on the certificate for this claim, as strings."""
    activity = claim.activity
    designation = next(
        (d for d in activity.designations.all() if d.credit_type == claim.credit_type),
        None,
    )
    credit_date = claim.claimed_at.astimezone(
        ZoneInfo(activity.time_zone or "UTC")
    ).date()
    return CertificateSnapshot(
        learner_name=name.strip(),
        activity_title=activity.title,
        activity_format=str(activity.get_activity_format_display()),
        activity_format_code=activity.activity_format,
        activity_dates=_activity_dates(activity),
        time_zone=activity.time_zone,
        location=activity.location or _("Online"),
        provider_name=activity.provider_name,
        joint_provider_name=activity.joint_provider_name,
        credit_type=claim.credit_type,
        credit_type_label=str(claim.get_credit_type_display()),
        credit_amount=format_amount(claim.amount),
        credit_date=credit_date.isoformat(),
        credit_date_display=formats.date_format(credit_date, "DATE_FORMAT"),
        designation_statement=designation.designation_statement if designation else "",
        accreditation_statement=activity.accreditation_statement,
        heading=template.heading,
        preamble=template.preamble,
        completion_wording=template.completion_wording,
        signatory_name=template.signatory_name,
        signatory_title=template.signatory_title,
        template_version=str(template.version),
    )


def missing_content(snapshot: CertificateSnapshot) -> list[MissingContent]:
    """What an accreditor requires that this snapshot lacks (empty list: complete)."""
    missing = [
        MissingContent(field, reason)
        for field, reason in (
            ("learner_name", _("The learner has no name to print.")),
            ("activity_title", _("The activity has no title.")),
            ("credit_date", _("The credit has no date.")),
            ("activity_format", _("The activity has no format.")),
        )
        if not getattr(snapshot, field).strip()
    ]
    try:
        amount = Decimal(snapshot.credit_amount or "0")
    except InvalidOperation:
        amount = Decimal(0)
    if amount <= 0:
        missing.append(MissingContent("credit_amount", _("No credits were claimed.")))
    if snapshot.credit_type == CreditType.AMA_PRA_1:
        statement = snapshot.designation_statement
        # The AMA PRA booklet's wording for the format, from courses' credit rules.
        phrases = CREDIT_RULES[CreditType.AMA_PRA_1].format_phrases
        phrase = phrases.get(snapshot.activity_format_code)
        if not statement:
            missing.append(
                MissingContent(
                    "designation_statement",
                    _("The activity has no AMA PRA Category 1 designation."),
                )
            )
        elif not phrase or phrase not in statement.lower():
            missing.append(
                MissingContent(
                    "designation_statement",
                    _("The AMA designation statement does not name the format."),
                )
            )
    return missing
