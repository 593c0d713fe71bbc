"""Bearer tokens of directory clients: issued once, stored as SHA-256, revocable.

Called by manage.py scim_token and by the SCIM views. A token is 256 random bits,
so a plain SHA-256 (no slow hash) is enough to make a stolen table useless."""

import hashlib
import hmac
import secrets

from django.db import transaction
from django.utils import timezone

from accounts.models import AccountEvent, DirectoryClient

TOKEN_PREFIX = "scim_"  # noqa: S105 (a label, not a secret)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def issue_token(*, name: str) -> tuple[DirectoryClient, str]:
    """A new token for `name` (replacing any earlier one); the token is returned
    once and never stored."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    client, _created = DirectoryClient.objects.update_or_create(
        name=name, defaults={"token_hash": _digest(token), "revoked_at": None}
    )
    AccountEvent.objects.create(
        action=AccountEvent.Action.TOKEN_ISSUED, step=name, detail={"client": name}
    )
    return client, token


@transaction.atomic
def revoke_token(*, name: str) -> DirectoryClient | None:
    client = DirectoryClient.objects.filter(name=name, revoked_at__isnull=True).first()
    if client is None:
        return None
    client.revoked_at = timezone.now()
    client.save(update_fields=["revoked_at"])
    AccountEvent.objects.create(
        action=AccountEvent.Action.TOKEN_REVOKED, step=name, detail={"client": name}
    )
    return client


def client_for(authorization: str) -> DirectoryClient | None:
    """The unrevoked client whose token is in this Authorization header, else None."""
    scheme, _space, token = authorization.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token.startswith(TOKEN_PREFIX):
        return None
    digest = _digest(token)
    client = DirectoryClient.objects.filter(
        token_hash=digest, revoked_at__isnull=True
    ).first()
    if client is None or not hmac.compare_digest(client.token_hash, digest):
        return None
    return client
