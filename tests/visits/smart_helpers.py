"""Registering an app and walking the SMART standalone launch, for the API tests."""

import base64
import hashlib
import re
import secrets
from datetime import timedelta
from html import unescape
from urllib.parse import parse_qs, urlencode, urlsplit

from django.utils import timezone
from oauth2_provider.models import get_access_token_model, get_application_model

Application = get_application_model()
AccessToken = get_access_token_model()
REDIRECT_URI = "http://127.0.0.1:9499/callback"


def register_app(name="BP Diary", *, public=True, redirect_uri=REDIRECT_URI):
    return Application.objects.create(
        name=name,
        client_type=Application.CLIENT_PUBLIC
        if public
        else Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=redirect_uri,
        algorithm=Application.RS256_ALGORITHM,
    )


def token_for(patient, app, scope: str, *, expires_in=timedelta(hours=1)) -> str:
    """A token as the authorization server would store it (for API-only tests)."""
    value = secrets.token_urlsafe(30)
    AccessToken.objects.create(
        user=patient,
        application=app,
        token=value,
        scope=scope,
        expires=timezone.now() + expires_in,
    )
    return value


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).decode().rstrip("=")


def hidden_fields(html: str) -> dict[str, str]:
    fields = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name = re.search(r'name="([^"]*)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name and 'type="hidden"' in tag:
            fields[name.group(1)] = unescape(value.group(1)) if value else ""
    return fields


def authorize_query(
    app,
    *,
    aud: str,
    scope: str,
    challenge: str | None,
    redirect_uri: str = REDIRECT_URI,
) -> str:
    params = {
        "response_type": "code",
        "client_id": app.client_id,
        "redirect_uri": redirect_uri,
        "scope": scope,
        "state": "xyz",
        "aud": aud,
    }
    if challenge:
        params |= {"code_challenge": challenge, "code_challenge_method": "S256"}
    return urlencode(params)


def code_from(location: str) -> str:
    return parse_qs(urlsplit(location).query)["code"][0]
