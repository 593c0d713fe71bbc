import pytest
from django.core.cache import cache
from django.urls import reverse

from certificates import services
from certificates.models import Certificate


@pytest.fixture
def three_certificates(clinician, coordinator, make_learner):
    from tests.certificates.factories import claim

    valid = services.issue_certificate(claim=claim(clinician))
    revoked = services.issue_certificate(claim=claim(make_learner("revokee")))
    services.revoke_certificate(
        certificate=revoked, actor=coordinator, reason="Attendance was not verified."
    )
    old = services.issue_certificate(claim=claim(make_learner("renamed")))
    correction = services.request_name_correction(
        certificate=old, learner=old.learner, requested_name="Renamed Person, RN"
    )
    new = services.approve_name_correction(
        correction=correction, coordinator=coordinator
    )
    old.refresh_from_db()
    revoked.refresh_from_db()
    return valid, revoked, old, new


def test_each_status_shows_with_its_reason_on_the_page_and_in_json(
    client, three_certificates
):
    valid, revoked, superseded, replacement = three_certificates
    cases = [
        (valid, "valid", ["This certificate is valid."]),
        (revoked, "revoked", ["revoked on", "Attendance was not verified."]),
        (
            superseded,
            "superseded",
            [
                f"superseded by {replacement.code} on",
                "Name corrected at the learner",
            ],
        ),
    ]
    for certificate, status, phrases in cases:
        page = client.get(reverse("certificates:verify", args=[certificate.code]))
        assert page.status_code == 200
        html = page.content.decode()
        data = client.get(
            reverse("certificates:verify_json", args=[certificate.code])
        ).json()
        assert data["status"] == status
        for phrase in phrases:
            assert phrase in data["status_text"]
            assert phrase in html.replace("&#x27;", "'")
        assert data["learner_name"] == certificate.snapshot["learner_name"]
        assert data["activity_title"] == certificate.snapshot["activity_title"]
        assert data["credits"] == certificate.snapshot["credit_amount"]
        assert data["credit_date"] == certificate.snapshot["credit_date"]
        assert certificate.snapshot["learner_name"] in html
    assert client.get(
        reverse("certificates:verify_json", args=[superseded.code])
    ).json()["superseded_by"] == (replacement.code)
    assert client.get(reverse("certificates:verify_json", args=[revoked.code])).json()[
        "status_reason"
    ] == ("Attendance was not verified.")


def test_the_page_shows_the_snapshot_and_nothing_else(client, three_certificates):
    valid = three_certificates[0]
    data = client.get(reverse("certificates:verify_json", args=[valid.code])).json()
    assert set(data) == {
        "kind",
        "code",
        "status",
        "status_text",
        "status_reason",
        "status_changed_on",
        "superseded_by",
        "learner_name",
        "activity_title",
        "credit_date",
        "credit_date_display",
        "credits",
        "credit_type",
    }
    html = client.get(reverse("certificates:verify", args=[valid.code])).content
    assert valid.learner.email.encode() not in html
    assert str(valid.uuid).encode() not in html


def test_codes_in_the_wrong_case_or_without_dashes_still_verify(
    client, three_certificates
):
    code = three_certificates[0].code
    sloppy = code.replace("-", "").lower()
    response = client.get(f"/certificates/verify/{sloppy}/")
    assert response.status_code == 302
    assert response.url == reverse("certificates:verify", args=[code])
    data = client.get(f"/certificates/verify/{sloppy}.json").json()
    assert data["code"] == code and data["status"] == "valid"


def test_unknown_and_garbage_codes_get_the_same_404(client, db):
    # Not the code the form's help text gives as an example.
    unknown = client.get("/certificates/verify/7F3K-9QX2-MB4V/")
    garbage = client.get("/certificates/verify/<script>/")
    unknown_json = client.get("/certificates/verify/7F3K-9QX2-MB4T.json")
    garbage_json = client.get("/certificates/verify/zzz.json")
    assert {r.status_code for r in (unknown, garbage, unknown_json, garbage_json)} == {
        404
    }
    assert unknown.content.replace(b"7F3K-9QX2-MB4V", b"") == garbage.content.replace(
        b"&lt;script&gt;", b""
    )
    assert b"7F3K" not in unknown_json.content


def test_verification_needs_no_sign_in_and_is_rate_limited(
    client, settings, three_certificates
):
    cache.clear()
    settings.CERTIFICATES_VERIFY_RATE = "3/m"
    url = reverse("certificates:verify", args=[three_certificates[0].code])
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 200]
    limited = client.get(url)
    assert limited.status_code == 429
    assert b"Too many verification requests" in limited.content
    # Guessing other codes is limited too.
    assert client.get("/certificates/verify/7F3K-9QX2-MB4T/").status_code == 429
    json_limited = client.get(
        reverse("certificates:verify_json", args=[three_certificates[0].code])
    )
    assert json_limited.status_code == 429
    cache.clear()


def test_the_verify_form_redirects_to_the_code(client, three_certificates):
    code = three_certificates[0].code
    response = client.get(reverse("certificates:verify_index"), {"code": code.lower()})
    assert response.status_code == 302
    assert response.url == reverse("certificates:verify", args=[code])
    bad = client.get(reverse("certificates:verify_index"), {"code": "nonsense"})
    assert bad.status_code == 200
    assert b"That is not a verification code" in bad.content


def test_transcript_codes_verify_too(client, clinician, three_certificates):
    import datetime

    transcript = services.issue_transcript(
        learner=clinician,
        date_from=datetime.date(2000, 1, 1),
        date_to=datetime.date(2100, 1, 1),
    )
    data = client.get(
        reverse("certificates:verify_json", args=[transcript.code])
    ).json()
    assert data["kind"] == "transcript"
    assert data["learner_name"] == "Dana Clinician, MD"
    assert data["totals"] == [
        {"credit_type": "AMA PRA Category 1 Credit™", "amount": "1.0"}
    ]
    assert Certificate.objects.filter(code=transcript.code).count() == 0


def test_an_unknown_code_gets_a_friendly_page_with_a_404_status(client, db):
    response = client.get("/certificates/verify/7F3K-9QX2-MB4T/")
    assert response.status_code == 404
    text = response.content.decode()
    assert "No certificate has this code" in text
    assert "“7F3K-9QX2-MB4T”" in text
    assert 'action="/certificates/verify/"' in text
    assert "Verification code" in text
