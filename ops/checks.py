"""Production checks for `manage.py check --deploy`: one clear error per missing
secret or outside service, so a deployment cannot go live half configured.

Registered by ops.apps. They speak only when DEBUG is off: development runs on
purpose without a mail server, Jitsi tokens or a signing key.
"""

from urllib.parse import urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.core.checks import Error, Tags, register

from meetings.services import jitsi_tokens_enabled

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
# HS256 secrets shorter than the hash are brute-forceable from one captured token.
MIN_JITSI_SECRET_LENGTH = 32


def _production() -> bool:
    return not settings.DEBUG


@register(Tags.security, deploy=True)
def check_mail_server(app_configs, **kwargs) -> list[Error]:
    if not _production() or settings.EMAIL_DELIVERY_BACKEND == SMTP_BACKEND:
        return []
    return [
        Error(
            "EMAIL_URL does not name a mail server, so password resets, visit "
            "notices and invitations are never delivered.",
            hint="Set EMAIL_URL=smtp://user:password@relay:587 (or smtps://...:465).",
            id="ops.E001",
        )
    ]


@register(Tags.security, deploy=True)
def check_jitsi_tokens(app_configs, **kwargs) -> list[Error]:
    if not _production():
        return []
    if not jitsi_tokens_enabled():
        return [
            Error(
                "Jitsi tokens are not configured: anyone who learns a room's address "
                "can enter a visit or meeting, and every participant is warned so.",
                hint="Set JITSI_APP_ID and JITSI_APP_SECRET (HS256), or JITSI_APP_ID, "
                "JITSI_PRIVATE_KEY and JITSI_KID (RS256), matching the Jitsi server's "
                "token authentication.",
                id="ops.E002",
            )
        ]
    errors = []
    if not settings.JITSI_PRIVATE_KEY and (
        len(settings.JITSI_APP_SECRET) < MIN_JITSI_SECRET_LENGTH
    ):
        errors.append(
            Error(
                f"JITSI_APP_SECRET is shorter than {MIN_JITSI_SECRET_LENGTH} "
                "characters, so room tokens can be forged.",
                hint="Use a long random secret, e.g. "
                "python -c 'import secrets; print(secrets.token_urlsafe(48))'.",
                id="ops.E003",
            )
        )
    if settings.JITSI_PRIVATE_KEY and not settings.JITSI_KID:
        errors.append(
            Error(
                "JITSI_PRIVATE_KEY is set without JITSI_KID, so the Jitsi server "
                "cannot find the public key to check room tokens.",
                hint="Set JITSI_KID to the key id the Jitsi server publishes.",
                id="ops.E004",
            )
        )
    return errors


@register(Tags.security, deploy=True)
def check_jitsi_webhook_secret(app_configs, **kwargs) -> list[Error]:
    if not _production() or settings.JITSI_WEBHOOK_SECRET:
        return []
    return [
        Error(
            "JITSI_WEBHOOK_SECRET is not set, so attendance from Jitsi's event-sync "
            "webhook is refused and live CME credit cannot be capped by attendance.",
            hint="Set JITSI_WEBHOOK_SECRET to a long random value and give Prosody's "
            "event_sync module the same one (Authorization: Bearer ...).",
            id="ops.E005",
        )
    ]


@register(Tags.security, deploy=True)
def check_certificate_signing_key(app_configs, **kwargs) -> list[Error]:
    if not _production():
        return []
    if not settings.CERTIFICATES_SIGNING_KEY:
        return [
            Error(
                "CERTIFICATES_SIGNING_KEY is not set, so Open Badges credentials are "
                "signed with a key derived from SECRET_KEY: rotating SECRET_KEY would "
                "break every credential already issued.",
                hint="Set CERTIFICATES_SIGNING_KEY to an Ed25519 private key in PEM, "
                "e.g. from `openssl genpkey -algorithm ed25519`.",
                id="ops.E006",
            )
        ]
    try:
        _load_ed25519(settings.CERTIFICATES_SIGNING_KEY)
    except ValueError as error:
        return [
            Error(
                f"CERTIFICATES_SIGNING_KEY cannot be used: {error}",
                hint="It must be an unencrypted Ed25519 private key in PEM.",
                id="ops.E007",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_web_push_key(app_configs, **kwargs) -> list[Error]:
    if not _production():
        return []
    problem = None
    if not settings.WEBPUSH_VAPID_PRIVATE_KEY:
        problem = (
            "WEBPUSH_VAPID_PRIVATE_KEY is not set, so no push notification can be sent."
        )
    else:
        try:
            key = serialization.load_pem_private_key(
                settings.WEBPUSH_VAPID_PRIVATE_KEY.encode(), password=None
            )
        except (ValueError, TypeError):
            key = None
        if not isinstance(key, ec.EllipticCurvePrivateKey) or not isinstance(
            key.curve, ec.SECP256R1
        ):
            problem = "WEBPUSH_VAPID_PRIVATE_KEY is not a P-256 private key in PEM."
    if problem is None:
        return []
    return [
        Error(
            problem,
            hint="Make one with `openssl ecparam -name prime256v1 -genkey -noout | "
            "openssl pkcs8 -topk8 -nocrypt` and keep it: a new key invalidates "
            "every device's subscription.",
            id="ops.E011",
        )
    ]


def _load_ed25519(pem: str) -> None:
    try:
        key = serialization.load_pem_private_key(pem.encode(), password=None)
    except (ValueError, TypeError) as error:
        raise ValueError("it is not a readable PEM private key.") from error
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("it is not an Ed25519 key.")


@register(Tags.security)
def check_base_url(app_configs=None, **kwargs) -> list[Error]:
    # Every link we send (mail, calendar files, certificate PDFs and their QR
    # codes) is BASE_URL plus a path; development derives it from PORT.
    if not _production():
        return []
    value = settings.BASE_URL
    if not value:
        return [
            Error(
                "BASE_URL is not set.",
                hint="Set BASE_URL to the portal's public address, for example "
                "https://portal.example.org, when DEBUG is off.",
                id="ops.E008",
            )
        ]
    parts = urlsplit(value)
    if (
        parts.scheme not in {"http", "https"}
        or not parts.hostname
        or parts.path not in {"", "/"}
        or parts.query
        or parts.fragment
    ):
        return [
            Error(
                f"BASE_URL {value!r} is not an address like https://portal.example.org.",
                hint="Give the scheme and host (and port if any), without a path.",
                id="ops.E009",
            )
        ]
    return []


@register(Tags.security)
def check_single_sign_on(app_configs=None, **kwargs) -> list[Error]:
    # config/sso.py leaves a half-described identity provider out (no button, no
    # sign-in) and lists what is missing; say so at start-up, in every mode.
    return [
        Error(
            f"Single sign-on is configured incompletely: {problem}",
            hint="See README, 'Staff single sign-on', for each provider's variables, "
            "or remove the provider from SSO_PROVIDERS.",
            id="ops.E010",
        )
        for problem in settings.SSO_CONFIGURATION_PROBLEMS
    ]


@register(Tags.security, deploy=True)
def check_smart_signing_key(app_configs, **kwargs) -> list[Error]:
    """Patients' apps get OpenID id_tokens signed with this key (issue 16)."""
    if not _production():
        return []
    if not settings.OAUTH2_PROVIDER.get("OIDC_RSA_PRIVATE_KEY"):
        return [
            Error(
                "SMART_OIDC_RSA_PRIVATE_KEY is not set, so the authorization server "
                "for patients' apps cannot sign id_tokens.",
                hint="Set SMART_OIDC_RSA_PRIVATE_KEY to an RSA private key in PEM, "
                "e.g. from `openssl genpkey -algorithm RSA -pkeyopt "
                "rsa_keygen_bits:2048`.",
                id="ops.E012",
            )
        ]
    return []


# Caches that live in one process (or on one node's disk): with them, sign-in
# throttling, TOTP replay protection and the page cache each count per process.
PROCESS_LOCAL_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
    "django.core.cache.backends.filebased.FileBasedCache",
}


@register(Tags.security, deploy=True)
def check_shared_cache(app_configs, **kwargs) -> list[Error]:
    if not _production():
        return []
    backend = settings.CACHES["default"]["BACKEND"]
    if backend not in PROCESS_LOCAL_CACHES:
        return []
    return [
        Error(
            "The cache is not shared between processes, so failed sign-ins are "
            "counted, and used TOTP codes remembered, by each process on its own: "
            "an attacker gets a fresh allowance from every worker.",
            hint="Set REDIS_URL=redis://host:6379/0 (one Redis for every web node).",
            id="ops.E013",
        )
    ]
