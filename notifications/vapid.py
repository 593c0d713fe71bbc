"""The portal's VAPID key: push services accept our messages only when signed with it.

Production sets WEBPUSH_VAPID_PRIVATE_KEY (a PEM, see the README); ops.checks
refuses to start without it when DEBUG is off. On a developer's machine a key is
made once and kept in var/, so subscriptions survive a restart.
"""

import base64
from functools import cache

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from py_vapid import Vapid02

from accounts.services import key_file_once


@cache
def signing_key() -> Vapid02:
    pem = settings.WEBPUSH_VAPID_PRIVATE_KEY or key_file_once(
        settings.VAR_DIR / "webpush-vapid-private.pem",
        lambda: ec.generate_private_key(ec.SECP256R1()),
    )
    return Vapid02.from_pem(pem.encode())


def application_server_key() -> str:
    """The public key browsers need to subscribe (base64url, uncompressed point)."""
    point = signing_key().public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return base64.urlsafe_b64encode(point).decode().rstrip("=")
