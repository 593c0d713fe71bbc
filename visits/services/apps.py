"""Patients' connected apps (SMART on FHIR clients): what each may do, when it last
acted, and revocation.

Called by the Connected apps page (list, revoke one) and, at deactivation, by
accounts' deactivation flow through `revoke_every_app_token` (issue 14 wires it in).
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from oauth2_provider.models import (
    get_access_token_model,
    get_application_model,
    get_grant_model,
    get_id_token_model,
    get_refresh_token_model,
)

from accounts.models import User
from visits.models import AuditEvent
from visits.smart.scopes import describe_all

AccessToken = get_access_token_model()
Application = get_application_model()
Grant = get_grant_model()
IDToken = get_id_token_model()
RefreshToken = get_refresh_token_model()


@dataclass(frozen=True)
class ConnectedApp:
    client_id: str
    name: str
    may: list[str]
    connected_at: datetime
    last_used_at: datetime | None


def _live_scopes(patient: User) -> dict[int, tuple[set[str], datetime]]:
    """Per application: the scopes of every token still usable, and the first grant."""
    now = timezone.now()
    found: dict[int, tuple[set[str], datetime]] = {}
    live_access = AccessToken.objects.filter(user=patient, expires__gt=now)
    live_refresh = RefreshToken.objects.filter(
        user=patient, revoked__isnull=True
    ).select_related("access_token")
    for token in live_access:
        scopes, since = found.get(token.application_id, (set(), token.created))
        found[token.application_id] = (
            scopes | set(token.scope.split()),
            min(since, token.created),
        )
    for refresh in live_refresh:
        scopes, since = found.get(refresh.application_id, (set(), refresh.created))
        if refresh.access_token is not None:
            scopes |= set(refresh.access_token.scope.split())
        found[refresh.application_id] = (scopes, min(since, refresh.created))
    return found


def connected_apps(*, patient: User) -> list[ConnectedApp]:
    """The apps that can act on this patient's record now, newest connection first."""
    live = _live_scopes(patient)
    applications = {
        app.pk: app for app in Application.objects.filter(pk__in=live.keys())
    }
    last_used = dict(
        AuditEvent.objects.filter(
            actor=patient, via_app__in=[app.name for app in applications.values()]
        )
        .values_list("via_app")
        .annotate(latest=Max("at"))
    )
    apps = [
        ConnectedApp(
            client_id=applications[pk].client_id,
            name=applications[pk].name,
            may=describe_all(sorted(scopes)),
            connected_at=since,
            last_used_at=last_used.get(applications[pk].name),
        )
        for pk, (scopes, since) in live.items()
    ]
    return sorted(apps, key=lambda app: app.connected_at, reverse=True)


def _revoke(patient: User, application_filter: Q) -> int:
    now = timezone.now()
    access = AccessToken.objects.filter(application_filter, user=patient)
    refresh = RefreshToken.objects.filter(
        application_filter, user=patient, revoked__isnull=True
    )
    revoked = refresh.update(revoked=now, updated=now)
    revoked += access.count()
    access.delete()
    IDToken.objects.filter(application_filter, user=patient).delete()
    Grant.objects.filter(application_filter, user=patient).delete()
    return revoked


@transaction.atomic
def disconnect_app(*, patient: User, client_id: str) -> int:
    """Revoke every token this patient gave this app; returns how many were live
    (0 for an app they never connected, so a guessed id reveals nothing)."""
    return _revoke(patient, Q(application__client_id=client_id))


@transaction.atomic
def revoke_every_app_token(user: User) -> int:
    """Revoke every access token, refresh token, id token and pending authorization
    code of every app for this person. Returns how many access and refresh tokens
    were live. For person deactivation (issue 14): call it in the same
    transaction that deactivates the account, so no app keeps reading the record
    of someone who can no longer sign in."""
    return _revoke(user, Q())
