import base64
import gzip
import hashlib

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.urls import reverse

from certificates import services

BASE = "http://127.0.0.1:8000"


def public_key_from(client):
    jwks = client.get(reverse("certificates:jwks")).json()
    [key] = jwks["keys"]
    assert key["kty"] == "OKP" and key["crv"] == "Ed25519" and key["alg"] == "EdDSA"
    return key, jwt.PyJWK(key).key


def test_the_open_badge_is_a_signed_credential_with_every_required_field(
    clinician_claim, client
):
    certificate = services.issue_certificate(claim=clinician_claim)
    learner = clinician_claim.learner
    client.force_login(learner)
    response = client.get(reverse("certificates:badge", args=[certificate.uuid]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vc+jwt"
    token = response.content.decode()
    jwk, public_key = public_key_from(client)
    header = jwt.get_unverified_header(token)
    assert header == {"alg": "EdDSA", "kid": jwk["kid"], "typ": "JWT"}
    issuer = BASE + reverse("certificates:issuer")
    claims = jwt.decode(
        token,
        public_key,
        algorithms=["EdDSA"],
        issuer=issuer,
        options={"require": ["iss", "jti", "sub", "nbf", "iat"]},
    )
    assert claims["jti"] == claims["id"] == f"urn:uuid:{certificate.uuid}"
    assert claims["sub"] == f"urn:uuid:{learner.uuid}"
    assert claims["nbf"] == int(certificate.issued_at.timestamp())
    assert claims["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert claims["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert claims["issuer"] == {"id": issuer, "type": ["Profile"], "name": "TeleCampus"}
    assert claims["validFrom"].startswith(certificate.issued_at.date().isoformat())
    subject = claims["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    assert subject["creditsEarned"] == 1.0
    [identity] = subject["identifier"]
    expected_hash = hashlib.sha256(
        (learner.email + identity["salt"]).encode()
    ).hexdigest()
    assert identity["identityHash"] == f"sha256${expected_hash}"
    assert identity["hashed"] is True and identity["identityType"] == "emailAddress"
    achievement = subject["achievement"]
    assert achievement["type"] == ["Achievement"]
    assert achievement["name"] == "Hypertension management in telehealth"
    assert "designates this enduring material" in achievement["description"]
    assert achievement["criteria"]["narrative"]
    status = claims["credentialStatus"]
    assert status["type"] == "BitstringStatusListEntry"
    assert status["statusPurpose"] == "revocation"
    assert status["statusListIndex"] == str(certificate.status_list_index)
    assert status["statusListCredential"] == BASE + reverse(
        "certificates:revocation_list"
    )
    assert claims["evidence"][0]["id"] == BASE + reverse(
        "certificates:verify", args=[certificate.code]
    )
    # A token signed with any other key is rejected.
    forged = jwt.encode(claims, Ed25519PrivateKey.generate(), algorithm="EdDSA")
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(forged, public_key, algorithms=["EdDSA"], issuer=issuer)


def status_bit(token: str, public_key, index: int) -> int:
    claims = jwt.decode(token, public_key, algorithms=["EdDSA"])
    assert claims["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    subject = claims["credentialSubject"]
    assert subject["statusPurpose"] == "revocation"
    encoded = subject["encodedList"]
    assert encoded.startswith("u")
    raw = encoded[1:] + "=" * (-len(encoded[1:]) % 4)
    bits = gzip.decompress(base64.urlsafe_b64decode(raw))
    assert len(bits) * 8 >= 131072
    return (bits[index // 8] >> (7 - index % 8)) & 1


def test_revocation_shows_in_the_signed_status_list(
    clinician_claim, coordinator, client
):
    certificate = services.issue_certificate(claim=clinician_claim)
    _jwk, public_key = public_key_from(client)
    url = reverse("certificates:revocation_list")
    index = certificate.status_list_index
    assert status_bit(client.get(url).content.decode(), public_key, index) == 0
    services.revoke_certificate(
        certificate=certificate, actor=coordinator, reason="Claimed in error."
    )
    assert status_bit(client.get(url).content.decode(), public_key, index) == 1


def test_the_issuer_profile_lives_on_our_domain(client, db):
    profile = client.get(reverse("certificates:issuer")).json()
    assert profile["id"] == BASE + reverse("certificates:issuer")
    assert profile["type"] == ["Profile"]
    assert profile["name"] == "TeleCampus"
    assert profile["url"] == BASE + "/"


def test_only_the_learner_downloads_their_badge(clinician_claim, client, patient):
    certificate = services.issue_certificate(claim=clinician_claim)
    client.force_login(patient)
    url = reverse("certificates:badge", args=[certificate.uuid])
    assert client.get(url).status_code == 404


def test_a_configured_key_signs(clinician_claim, client, settings):
    key = Ed25519PrivateKey.generate()
    settings.CERTIFICATES_SIGNING_KEY = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    certificate = services.issue_certificate(claim=clinician_claim)
    client.force_login(clinician_claim.learner)
    token = client.get(
        reverse("certificates:badge", args=[certificate.uuid])
    ).content.decode()
    claims = jwt.decode(token, key.public_key(), algorithms=["EdDSA"])
    assert claims["id"] == f"urn:uuid:{certificate.uuid}"
