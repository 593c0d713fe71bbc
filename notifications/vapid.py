"""The portal's VAPID key: push services accept our messages only when signed with it.

Production sets WEBPUSH_VAPID_PRIVATE_KEY (a PEM, see the README); ops.checks
refuses to start without it when DEBUG is off. On a developer's machine a key is
made once and kept in var/, so subscriptions survive a restart.
"""

import base64
import contextlib
import os
import tempfile
from functools import cache

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from py_vapid import Vapid02


@cache
def signing_key() -> Vapid02:
    pem = settings.WEBPUSH_VAPID_PRIVATE_KEY
    if not pem:
        path = settings.VAR_DIR / "webpush-vapid-private.pem"
        if not path.exists():
            _create_once(path)
        pem = path.read_text()
    return Vapid02.from_pem(pem.encode())


def _create_once(path) -> None:
    """Several processes may need the key at once on a fresh var/ (pytest-xdist
    workers, make run's web and worker): each writes a whole key aside (mode 0600,
    as NamedTemporaryFile makes it) and links it in; the first link wins and
    everyone reads that one, never a half-written file."""
    key = ec.generate_private_key(ec.SECP256R1())
    with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".pem") as aside:
        aside.write(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        aside.flush()
        with contextlib.suppress(FileExistsError):
            os.link(aside.name, path)


def application_server_key() -> str:
    """The public key browsers need to subscribe (base64url, uncompressed point)."""
    point = signing_key().public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return base64.urlsafe_b64encode(point).decode().rstrip("=")
