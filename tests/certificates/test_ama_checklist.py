"""The accreditor's checklist reads AMA's format wording from courses' credit
rules: a statement naming another format, or none, is refused."""

import pytest

from certificates.snapshots import CertificateSnapshot, missing_content
from courses.models import ActivityFormat, CreditType

COMPLETE = {
    "learner_name": "Dana Clinician",
    "activity_title": "Hypertension update",
    "credit_date": "2026-06-10",
    "activity_format": "Internet live course",
    "credit_amount": "1.0",
    "credit_type": CreditType.AMA_PRA_1.value,
    "activity_format_code": ActivityFormat.INTERNET_LIVE.value,
    "designation_statement": (
        "The TeleCampus Medical School designates this internet live activity for a "
        "maximum of 1.0 AMA PRA Category 1 Credit(s)™."
    ),
}


def snapshot_of(fields: dict) -> CertificateSnapshot:
    return CertificateSnapshot.from_json(fields)


def test_ama_statement_naming_its_format_is_complete():
    assert missing_content(snapshot_of(COMPLETE)) == []


@pytest.mark.parametrize(
    "statement",
    ["The school designates this enduring material for a maximum of 1.0.", ""],
)
def test_ama_statement_not_naming_its_format_is_refused(statement):
    missing = missing_content(
        snapshot_of({**COMPLETE, "designation_statement": statement})
    )
    assert [item.field for item in missing] == ["designation_statement"]
    assert ("does not name the format" in missing[0].reason) == bool(statement)


def test_other_credit_types_need_no_format_wording():
    snapshot = {
        **COMPLETE,
        "credit_type": CreditType.PARTICIPATION.value,
        "designation_statement": "",
    }
    assert missing_content(snapshot_of(snapshot)) == []
