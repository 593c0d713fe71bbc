"""The authorization server's pages: the patient's consent screen, the token
endpoint (which adds the SMART launch context) and SMART discovery.

django-oauth-toolkit does the OAuth 2.0 work; these views add what SMART App
Launch 2 asks for on top of it. Only patients authorize apps, for their own record.
"""

import hashlib
import json
from urllib.parse import urlsplit

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from oauth2_provider import views as oauth_views
from oauth2_provider.models import get_access_token_model, get_refresh_token_model
from oauth2_provider.settings import oauth2_settings

from accounts.services import Role
from visits.smart.scopes import all_scopes, describe_all


def fhir_base(request) -> str:
    return request.build_absolute_uri(reverse("fhir:base")).rstrip("/")


def _refuse_page(request, message: str, status: int) -> HttpResponse:
    return render(
        request, "visits/smart/refused.html", {"message": message}, status=status
    )


def _redirect_origins(application) -> list[str]:
    origins = []
    for uri in application.redirect_uris.split():
        parts = urlsplit(uri)
        if parts.scheme in ("http", "https") and parts.netloc:
            origins.append(f"{parts.scheme}://{parts.netloc}")
    return origins


class ConsentView(oauth_views.AuthorizationView):
    """The consent screen: which app, and in plain words what it may read and write."""

    template_name = "visits/smart/consent.html"

    def _refusal(self, request) -> HttpResponse | None:
        if Role.PATIENT not in request.user.role_names:
            return _refuse_page(
                request,
                _(
                    "Only patients can connect apps to their own health record. "
                    "This account is not a patient account."
                ),
                403,
            )
        method = request.GET.get("code_challenge_method") or request.POST.get(
            "code_challenge_method"
        )
        if method is not None and method != "S256":
            return _refuse_page(
                request,
                _(
                    "This app asked in a way TeleCampus does not accept (PKCE must "
                    "use S256). Please tell the app's makers; nothing was shared."
                ),
                400,
            )
        audience = request.GET.get("aud")
        if audience is not None and audience.rstrip("/") != fhir_base(request):
            return _refuse_page(
                request,
                _(
                    "This app asked for another server's records (aud does not name "
                    "this server). Nothing was shared."
                ),
                400,
            )
        return None

    def get(self, request, *args, **kwargs):
        return self._refusal(request) or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self._refusal(request) or super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["may"] = describe_all(kwargs.get("scopes") or [])
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        application = context.get("application")
        if application is not None:
            # Allowing sends the browser on to the app's own address; the page's
            # form-action must let that redirect through.
            response._csp_update = {"form-action": _redirect_origins(application)}
        return response


class SmartTokenView(oauth_views.TokenView):
    """The token endpoint, plus the SMART launch context: `patient` (with
    launch/patient) and no refresh token unless the app asked for offline_access."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        if response.status_code != 200:
            return response
        body = json.loads(response.content)
        checksum = hashlib.sha256(body["access_token"].encode()).hexdigest()
        token = (
            get_access_token_model()
            .objects.select_related("user")
            .get(token_checksum=checksum)
        )
        scopes = token.scope.split()
        if "launch/patient" in scopes:
            body["patient"] = str(token.user.uuid)
            body["need_patient_banner"] = True
        if "offline_access" not in scopes and "refresh_token" in body:
            get_refresh_token_model().objects.filter(access_token=token).delete()
            del body["refresh_token"]
        response.content = json.dumps(body).encode()
        return response


def smart_configuration(request):
    """SMART App Launch discovery: /fhir/r4/.well-known/smart-configuration."""
    oauth = request.build_absolute_uri("/oauth/").rstrip("/")
    data = {
        "issuer": oauth2_settings.oidc_issuer(request),
        "jwks_uri": f"{oauth}/.well-known/jwks.json",
        "authorization_endpoint": f"{oauth}/authorize/",
        "token_endpoint": f"{oauth}/token/",
        "revocation_endpoint": f"{oauth}/revoke_token/",
        "userinfo_endpoint": f"{oauth}/userinfo/",
        "token_endpoint_auth_methods_supported": [
            "client_secret_basic",
            "client_secret_post",
        ],
        "grant_types_supported": ["authorization_code", "refresh_token"],
        "response_types_supported": ["code"],
        "scopes_supported": [
            "openid",
            "fhirUser",
            "launch/patient",
            "offline_access",
            *[scope for scope in all_scopes() if scope.endswith((".rs", ".c"))],
        ],
        "code_challenge_methods_supported": ["S256"],
        "capabilities": [
            "launch-standalone",
            "client-public",
            "client-confidential-symmetric",
            "context-standalone-patient",
            "sso-openid-connect",
            "permission-offline",
            "permission-patient",
            "permission-v2",
        ],
    }
    return JsonResponse(data)
