"""The snapshot's declared fields against what the certificate template prints:
the learner's fields are exactly what the sheet's slots are filled with."""

import dataclasses

import pytest

from certificates import services
from certificates.pdf import documents
from certificates.snapshots import (
    FIELD_NAMES,
    FILLED_FIELDS,
    LEARNER_FIELDS,
    CertificateSnapshot,
    snapshot_digest,
)

# A snapshot as issued before the type existed, and its stored digest.
ISSUED = {
    "learner_name": "Dr Ana Lima",
    "activity_title": "Hypertension management in telehealth",
    "activity_format": "Enduring material",
    "activity_format_code": "enduring",
    "activity_dates": "Released on Jan. 5, 2026",
    "time_zone": "America/New_York",
    "location": "Online",
    "provider_name": "TeleCampus CME",
    "joint_provider_name": "",
    "credit_type": "ama_pra_1",
    "credit_type_label": "AMA PRA Category 1 Credit\u2122",
    "credit_amount": "1.5",
    "credit_date": "2026-02-03",
    "credit_date_display": "Feb. 3, 2026",
    "designation_statement": "TeleCampus designates this enduring material for a "
    "maximum of 1.5 AMA PRA Category 1 Credits\u2122.",
    "accreditation_statement": "",
    "heading": "Certificate of completion",
    "preamble": "This certifies that",
    "completion_wording": "has completed",
    "signatory_name": "TeleCampus CME Office",
    "signatory_title": "Director of Continuing Medical Education",
    "template_version": "1",
}
ISSUED_DIGEST = "bb5c45cf11832d00771b87044685f509f9717b0aba4d97837613c056f682ad29"


def marked() -> CertificateSnapshot:
    """A snapshot whose every field is a marker that can be found in HTML."""
    return CertificateSnapshot(**{name: f"Mk{name}Mk" for name in FIELD_NAMES})


def reaching(html: str) -> set[str]:
    return {name for name in FIELD_NAMES if f"Mk{name}Mk" in html}


def unfilled(fields_of) -> set[str]:
    """FILLED fields that the fillings (`fields_of(snapshot=, code=)`) leave out."""
    fillings = "".join(fields_of(snapshot=marked(), code="CODE").values())
    return FILLED_FIELDS - reaching(fillings)


def test_every_learner_field_is_in_the_sheets_fillings():
    assert unfilled(documents.certificate_fields) == set()


def test_the_check_fails_when_fillings_leave_a_learner_field_out():
    def without_credits(*, snapshot, code):
        return {
            k: v
            for k, v in documents.certificate_fields(
                snapshot=snapshot, code=code
            ).items()
            if k != "credits"
        }

    assert unfilled(without_credits) == {"credit_amount", "credit_date_display"}


@pytest.mark.django_db
def test_the_sheet_and_its_fillings_print_exactly_the_whole_certificate():
    """The sheet prints no learner field (it is shared by every learner), the
    fillings no field kept only for the record, and together they print what a
    whole layout of the certificate prints: no field is lost or added."""
    template = services.default_template()
    snapshot = marked()
    sheet = reaching(documents.sheet_body(snapshot=snapshot, template=template))
    fillings = reaching(
        "".join(documents.certificate_fields(snapshot=snapshot, code="C").values())
    )
    body, _generated = documents.full_certificate(
        snapshot=snapshot, code="C", template=template
    )
    whole = reaching(body)
    assert sheet & LEARNER_FIELDS == set()
    assert fillings & LEARNER_FIELDS == FILLED_FIELDS
    assert whole & LEARNER_FIELDS == FILLED_FIELDS
    assert sheet | fillings == whole


def test_a_snapshot_issued_before_the_type_loads_and_keeps_its_digest():
    assert snapshot_digest(ISSUED) == ISSUED_DIGEST
    loaded = CertificateSnapshot.from_json(ISSUED)
    assert loaded.as_json() == ISSUED
    assert list(loaded.as_json()) == list(ISSUED)
    assert snapshot_digest(loaded) == ISSUED_DIGEST
    assert loaded.learner_name == "Dr Ana Lima"


def test_a_snapshot_of_an_older_shape_loads_with_empty_fields():
    older = {k: v for k, v in ISSUED.items() if k != "activity_format_code"}
    loaded = CertificateSnapshot.from_json(older)
    assert loaded.activity_format_code == ""
    assert loaded.learner_name == "Dr Ana Lima"


def test_a_snapshot_is_frozen_and_renaming_changes_only_the_name():
    loaded = CertificateSnapshot.from_json(ISSUED)
    with pytest.raises(dataclasses.FrozenInstanceError):
        loaded.learner_name = "Someone else"  # type: ignore[misc]
    renamed = loaded.renamed("Ana Lima")
    assert renamed.as_json() == {**ISSUED, "learner_name": "Ana Lima"}
    assert loaded.shared() == renamed.shared()


@pytest.mark.django_db
def test_issued_certificates_store_the_snapshot_in_its_old_shape(clinician_claim):
    certificate = services.issue_certificate(claim=clinician_claim)
    assert list(certificate.snapshot) == list(FIELD_NAMES)
    assert all(isinstance(value, str) for value in certificate.snapshot.values())
    assert certificate.snapshot_sha256 == snapshot_digest(certificate.snapshot)
    loaded = CertificateSnapshot.from_json(certificate.snapshot)
    assert snapshot_digest(loaded) == certificate.snapshot_sha256
