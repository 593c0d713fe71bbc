import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse

from certificates import services
from certificates.models import Certificate, NameCorrection
from tests.certificates.pdf_reading import pdf_text

WIDE = {"date_from": datetime.date(2000, 1, 1), "date_to": datetime.date(2100, 1, 1)}


def test_revoking_keeps_the_record_drops_transcript_credit_and_is_idempotent(
    clinician_claim, coordinator
):
    certificate = services.issue_certificate(claim=clinician_claim)
    learner = clinician_claim.learner
    assert services.transcript_summary(learner=learner, **WIDE)["totals"]
    revoked = services.revoke_certificate(
        certificate=certificate, actor=coordinator, reason="Claimed in error."
    )
    first_time = revoked.status_changed_at
    again = services.revoke_certificate(
        certificate=certificate, actor=None, reason="A different reason."
    )
    again.refresh_from_db()
    assert again.status == Certificate.Status.REVOKED
    assert again.status_reason == "Claimed in error."
    assert again.status_changed_at == first_time
    assert again.status_changed_by == coordinator
    assert services.transcript_summary(learner=learner, **WIDE)["totals"] == []
    assert Certificate.objects.filter(pk=certificate.pk).exists()


def test_revoking_needs_a_reason(clinician_claim, coordinator):
    certificate = services.issue_certificate(claim=clinician_claim)
    with pytest.raises(services.CertificateStateError):
        services.revoke_certificate(
            certificate=certificate, actor=coordinator, reason="  "
        )
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.VALID


def test_name_correction_supersedes_and_keeps_the_chain(clinician_claim, coordinator):
    old = services.issue_certificate(claim=clinician_claim)
    correction = services.request_name_correction(
        certificate=old,
        learner=clinician_claim.learner,
        requested_name="Dana Q. Clinician, MD",
        reason="Middle initial missing.",
    )
    with pytest.raises(services.CertificateStateError):
        services.request_name_correction(
            certificate=old, learner=clinician_claim.learner, requested_name="Other"
        )
    new = services.approve_name_correction(
        correction=correction, coordinator=coordinator, note="Checked the licence."
    )
    old.refresh_from_db()
    correction.refresh_from_db()
    assert old.status == Certificate.Status.SUPERSEDED
    assert old.superseded_by == new and new.supersedes == old
    assert "Checked the licence." in old.status_reason
    assert correction.status == NameCorrection.Status.APPROVED
    assert correction.replacement == new
    assert new.snapshot["learner_name"] == "Dana Q. Clinician, MD"
    assert {k: v for k, v in new.snapshot.items() if k != "learner_name"} == {
        k: v for k, v in old.snapshot.items() if k != "learner_name"
    }
    with new.pdf.open("rb") as handle:
        assert "Dana Q. Clinician, MD" in pdf_text(handle.read())
    assert new.code != old.code
    summary = services.transcript_summary(learner=clinician_claim.learner, **WIDE)
    assert [row["code"] for row in summary["rows"]] == [new.code]
    with pytest.raises(services.CertificateStateError):
        services.approve_name_correction(correction=correction, coordinator=coordinator)


def test_a_declined_correction_changes_nothing(clinician_claim, coordinator):
    certificate = services.issue_certificate(claim=clinician_claim)
    correction = services.request_name_correction(
        certificate=certificate, learner=clinician_claim.learner, requested_name="X Y"
    )
    with pytest.raises(services.CertificateStateError):
        services.decline_name_correction(
            correction=correction, coordinator=coordinator, note=""
        )
    services.decline_name_correction(
        correction=correction, coordinator=coordinator, note="Does not match ID."
    )
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.VALID
    assert Certificate.objects.count() == 1


def test_someone_else_cannot_request_a_correction(clinician_claim, patient, client):
    certificate = services.issue_certificate(claim=clinician_claim)
    with pytest.raises(services.CertificateStateError):
        services.request_name_correction(
            certificate=certificate, learner=patient, requested_name="Mallory"
        )
    client.force_login(patient)
    url = reverse("certificates:request_correction", args=[certificate.uuid])
    assert client.post(url, {"requested_name": "Mallory"}).status_code == 404
    assert not NameCorrection.objects.exists()


def test_learner_requests_and_coordinator_approves_through_the_pages(
    clinician_claim, coordinator, client
):
    certificate = services.issue_certificate(claim=clinician_claim)
    client.force_login(clinician_claim.learner)
    url = reverse("certificates:request_correction", args=[certificate.uuid])
    assert client.post(url, {"requested_name": ""}).status_code == 400
    response = client.post(url, {"requested_name": "Dana R. Clinician"})
    assert response.status_code == 302
    correction = NameCorrection.objects.get()
    client.force_login(coordinator)
    decide = reverse("certificates_admin:decide_correction", args=[correction.uuid])
    assert client.post(decide, {"decision": "decline"}).status_code == 400
    assert client.post(decide, {"decision": "approve"}).status_code == 302
    certificate.refresh_from_db()
    assert certificate.superseded_by.snapshot["learner_name"] == "Dana R. Clinician"


def test_learners_cannot_reach_the_coordinator_pages(clinician_claim, client):
    certificate = services.issue_certificate(claim=clinician_claim)
    client.force_login(clinician_claim.learner)
    for url in [
        reverse("certificates_admin:manage"),
        reverse("certificates_admin:revoke", args=[certificate.uuid]),
    ]:
        # In the Wagtail admin, whose gate sends people without admin access to
        # sign in (accounts.permissions); staff without the permission get 404.
        refused = client.get(url)
        assert refused.status_code == 302
        assert refused.url.startswith("/accounts/login/")


def test_coordinator_revokes_through_the_page(clinician_claim, coordinator, client):
    certificate = services.issue_certificate(claim=clinician_claim)
    client.force_login(coordinator)
    url = reverse("certificates_admin:revoke", args=[certificate.uuid])
    assert client.post(url, {"reason": ""}).status_code == 400
    assert client.post(url, {"reason": "Duplicate claim."}).status_code == 302
    certificate.refresh_from_db()
    assert certificate.status_reason == "Duplicate claim."
    found = client.get(reverse("certificates_admin:manage"), {"code": certificate.code})
    assert b"Duplicate claim." in found.content


def test_reissue_dry_run_lists_changed_fields_and_changes_nothing(
    clinician_claim, capsys
):
    certificate = services.issue_certificate(claim=clinician_claim)
    template = certificate.template
    template.signatory_title = "Dean of Continuing Education"
    template.save()
    call_command("reissue_certificates", "--dry-run")
    out = capsys.readouterr().out
    assert certificate.code in out
    assert "signatory_title: 'Director of Continuing Medical Education' -> " in out
    assert "'Dean of Continuing Education'" in out
    assert "template_version: '1' -> '2'" in out
    assert "learner_name" not in out
    assert "1 of 1 valid certificates would change." in out
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.VALID
    assert Certificate.objects.count() == 1

    call_command("reissue_certificates", "--reason", "Signatory title corrected.")
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.SUPERSEDED
    new = certificate.superseded_by
    assert new.snapshot["signatory_title"] == "Dean of Continuing Education"
    assert new.template_version == 2
    assert new.snapshot["learner_name"] == certificate.snapshot["learner_name"]


def test_a_revoked_claim_is_not_issued_again(clinician_claim, coordinator, caplog):
    certificate = services.issue_certificate(claim=clinician_claim)
    services.revoke_certificate(
        certificate=certificate, actor=coordinator, reason="Claimed in error."
    )
    with pytest.raises(services.IssuingRefused, match="was revoked"):
        services.issue_certificate(claim=clinician_claim)
    assert "was revoked" in caplog.text
    assert Certificate.objects.count() == 1
