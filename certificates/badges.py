"""Open Badges 3.0: certificates as signed credentials (VC-JWT, EdDSA).

The issuer profile, its public key (JWKS) and the revocation list (a W3C Bitstring
Status List) are published under /certificates/ on our own domain. The signing key
comes from settings.CERTIFICATES_SIGNING_KEY; without one (development), a key is
derived from SECRET_KEY so that it stays the same across restarts.
"""

import base64
import gzip
import hashlib
from functools import cache

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.urls import reverse

from certificates.models import Certificate
from certificates.services.issuing import STATUS_LIST_SIZE

CONTEXTS = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
JWT_ALGORITHM = "EdDSA"


def _url(name: str, *args) -> str:
    return settings.BASE_URL + reverse(name, args=args)


def issuer_id() -> str:
    return _url("certificates:issuer")


def key_id() -> str:
    return issuer_id() + "#key-1"


def status_list_url() -> str:
    return _url("certificates:revocation_list")


@cache
def _key_from_settings(pem: str, secret: str) -> Ed25519PrivateKey:
    if pem:
        key = serialization.load_pem_private_key(pem.encode(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError("CERTIFICATES_SIGNING_KEY must be an Ed25519 key.")
        return key
    seed = hashlib.sha256(b"telecampus-open-badges:" + secret.encode()).digest()
    return Ed25519PrivateKey.from_private_bytes(seed)


def signing_key() -> Ed25519PrivateKey:
    return _key_from_settings(settings.CERTIFICATES_SIGNING_KEY, settings.SECRET_KEY)


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def public_jwks() -> dict:
    raw = (
        signing_key()
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )
    return {
        "keys": [
            {
                "kty": "OKP",
                "crv": "Ed25519",
                "x": _b64url(raw),
                "kid": key_id(),
                "alg": JWT_ALGORITHM,
                "use": "sig",
            }
        ]
    }


def issuer_profile() -> dict:
    return {
        "@context": CONTEXTS,
        "id": issuer_id(),
        "type": ["Profile"],
        "name": settings.WAGTAIL_SITE_NAME,
        "url": settings.BASE_URL + "/",
        "email": settings.DEFAULT_FROM_EMAIL.rsplit("<", 1)[-1].rstrip(">"),
    }


def _sign(payload: dict) -> str:
    return jwt.encode(
        payload,
        signing_key(),
        algorithm=JWT_ALGORITHM,
        headers={"kid": key_id(), "typ": "JWT"},
    )


def achievement_credential(certificate: Certificate) -> dict:
    """The OpenBadgeCredential for a certificate, built from its snapshot only."""
    snap = certificate.snapshot
    credential_id = f"urn:uuid:{certificate.uuid}"
    salt = certificate.uuid.hex
    email_hash = hashlib.sha256(
        (certificate.learner.email.lower() + salt).encode()
    ).hexdigest()
    return {
        "@context": CONTEXTS,
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {
            "id": issuer_id(),
            "type": ["Profile"],
            "name": settings.WAGTAIL_SITE_NAME,
        },
        "validFrom": certificate.issued_at.isoformat(timespec="seconds"),
        "name": f"{snap['heading']}: {snap['activity_title']}",
        "credentialSubject": {
            "id": f"urn:uuid:{certificate.learner.uuid}",
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityHash": f"sha256${email_hash}",
                    "identityType": "emailAddress",
                    "hashed": True,
                    "salt": salt,
                }
            ],
            "creditsEarned": float(certificate.credit_amount),
            "achievement": {
                "id": f"urn:telecampus:achievement:{certificate.activity.slug}:"
                f"{certificate.credit_type}",
                "type": ["Achievement"],
                "achievementType": "Course",
                "name": snap["activity_title"],
                "description": snap["designation_statement"]
                or snap["accreditation_statement"],
                "criteria": {"narrative": snap["completion_wording"]},
                "fieldOfStudy": snap["credit_type_label"],
            },
        },
        "evidence": [
            {
                "id": _url("certificates:verify", certificate.code),
                "type": ["Evidence"],
                "name": certificate.code,
            }
        ],
        "credentialStatus": {
            "id": f"{status_list_url()}#{certificate.status_list_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(certificate.status_list_index),
            "statusListCredential": status_list_url(),
        },
    }


def credential_jwt(certificate: Certificate) -> str:
    credential = achievement_credential(certificate)
    return _sign(
        {
            **credential,
            "iss": credential["issuer"]["id"],
            "jti": credential["id"],
            "sub": credential["credentialSubject"]["id"],
            "nbf": int(certificate.issued_at.timestamp()),
            "iat": int(certificate.issued_at.timestamp()),
        }
    )


def encoded_revocation_list(revoked_indexes) -> str:
    """Bitstring Status List encoding: bit i (from the left) set = revoked."""
    bits = bytearray(STATUS_LIST_SIZE // 8)
    for index in revoked_indexes:
        bits[index // 8] |= 0x80 >> (index % 8)
    return "u" + _b64url(gzip.compress(bytes(bits), mtime=0))


def revocation_list_jwt(*, now) -> str:
    revoked = Certificate.objects.filter(status=Certificate.Status.REVOKED).values_list(
        "status_list_index", flat=True
    )
    credential = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": status_list_url(),
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_id(),
        "validFrom": now.isoformat(timespec="seconds"),
        "credentialSubject": {
            "id": status_list_url() + "#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded_revocation_list(revoked),
        },
    }
    return _sign(
        {
            **credential,
            "iss": issuer_id(),
            "jti": credential["id"],
            "iat": int(now.timestamp()),
        }
    )
