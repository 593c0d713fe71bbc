"""Staff single sign-on, read from the environment (docs/decisions/0017).

SSO_PROVIDERS names the identity providers, comma-separated; each one is described
by SSO_<ID>_* variables (ID upper-cased, dashes as underscores):

    SSO_<ID>_PROTOCOL      oidc | saml
    SSO_<ID>_LABEL         the button's text on the sign-in page
    oidc: SSO_<ID>_ISSUER (discovery at <issuer>/.well-known/openid-configuration),
          SSO_<ID>_CLIENT_ID, SSO_<ID>_CLIENT_SECRET
    saml: SSO_<ID>_IDP_ENTITY_ID, SSO_<ID>_IDP_SSO_URL and SSO_<ID>_IDP_CERT (PEM or
          base64), or SSO_<ID>_IDP_METADATA_URL with SSO_<ID>_IDP_ENTITY_ID;
          SSO_<ID>_SP_ENTITY_ID (default: our metadata address)
    SSO_<ID>_GROUPS_CLAIM  claim or attribute holding the directory groups
    SSO_<ID>_MFA_VALUES    amr / acr / AuthnContextClassRef values meaning "the
                           person passed multi-factor authentication"
    SSO_<ID>_CLAIM_<FIELD> claim or attribute for EMAIL, NAME, GIVEN_NAME,
                           FAMILY_NAME, TIME_ZONE, PROFESSION (defaults below)

A malformed or incomplete provider is left out and reported by the production
check ops.E010 rather than stopping start-up, so the message can say what to fix.
"""

import os
import re
from urllib.parse import urlsplit

PROTOCOLS = {"oidc", "saml"}

# Claim names per protocol when SSO_<ID>_CLAIM_<FIELD> is not given.
OIDC_CLAIMS = {
    "email": "email",
    "name": "name",
    "given_name": "given_name",
    "family_name": "family_name",
    "time_zone": "zoneinfo",
    "profession": "profession",
}
SAML_CLAIMS = {
    "email": "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
    "name": "http://schemas.microsoft.com/identity/claims/displayname",
    "given_name": "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname",
    "family_name": "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname",
    "time_zone": "zoneinfo",
    "profession": "profession",
}
DEFAULT_GROUPS_CLAIM = {
    "oidc": "groups",
    "saml": "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups",
}
# amr values (RFC 8176) and the SAML context classes that name a second factor.
DEFAULT_MFA_VALUES = [
    "mfa",
    "otp",
    "hwk",
    "swk",
    "fido",
    "http://schemas.microsoft.com/claims/multipleauthn",
    "urn:oasis:names:tc:SAML:2.0:ac:classes:TimeSyncToken",
    "https://refeds.org/profile/mfa",
]

_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")


def _list(raw: str) -> list[str]:
    return [item.strip() for item in raw.split(",") if item.strip()]


def _pem_body(raw: str) -> str:
    """python3-saml wants the certificate's base64 alone, on one line."""
    lines = [line.strip() for line in raw.strip().splitlines()]
    return "".join(line for line in lines if line and not line.startswith("-----"))


def form_action_origins(providers: list[dict]) -> list[str]:
    return sorted({provider["origin"] for provider in providers})


def read_sso_environment(environ=os.environ) -> tuple[dict, list[dict], list[str]]:
    """Return (SOCIALACCOUNT_PROVIDERS, SSO_PROVIDERS, problems)."""
    openid_apps, saml_apps, providers, problems = [], [], [], []
    for provider_id in _list(environ.get("SSO_PROVIDERS", "")):
        if not _ID.match(provider_id):
            problems.append(
                f"SSO_PROVIDERS: {provider_id!r} is not a short lower-case id "
                "(letters, digits, dashes)."
            )
            continue
        prefix = "SSO_" + provider_id.upper().replace("-", "_") + "_"

        def get(name: str, default: str = "", prefix=prefix) -> str:
            return environ.get(prefix + name, default).strip()

        protocol = get("PROTOCOL").lower()
        if protocol not in PROTOCOLS:
            problems.append(f"{prefix}PROTOCOL must be oidc or saml; got {protocol!r}.")
            continue
        needed = (
            ["ISSUER", "CLIENT_ID", "CLIENT_SECRET"]
            if protocol == "oidc"
            else ["IDP_ENTITY_ID"]
            + ([] if get("IDP_METADATA_URL") else ["IDP_SSO_URL", "IDP_CERT"])
        )
        missing = [prefix + name for name in ["LABEL", *needed] if not get(name)]
        if missing:
            problems.append(
                f"single sign-on provider {provider_id!r} is missing "
                + ", ".join(missing)
                + "."
            )
            continue
        defaults = OIDC_CLAIMS if protocol == "oidc" else SAML_CLAIMS
        claims = {
            field: get("CLAIM_" + field.upper(), default)
            for field, default in defaults.items()
        }
        # The sign-in button's form is redirected to the provider: CSP form-action
        # must allow its origin.
        address = get("ISSUER") or get("IDP_SSO_URL") or get("IDP_METADATA_URL")
        parts = urlsplit(address)
        providers.append(
            {
                "id": provider_id,
                "origin": f"{parts.scheme}://{parts.netloc}",
                "protocol": protocol,
                "label": get("LABEL"),
                "groups_claim": get("GROUPS_CLAIM", DEFAULT_GROUPS_CLAIM[protocol]),
                "mfa_values": _list(get("MFA_VALUES")) or list(DEFAULT_MFA_VALUES),
                "claims": claims,
            }
        )
        if protocol == "oidc":
            openid_apps.append(
                {
                    "provider_id": provider_id,
                    "name": get("LABEL"),
                    "client_id": get("CLIENT_ID"),
                    "secret": get("CLIENT_SECRET"),
                    "settings": {
                        "server_url": get("ISSUER").rstrip("/"),
                        "oauth_pkce_enabled": True,
                        "fetch_userinfo": True,
                        "scope": ["openid", "profile", "email"]
                        + _list(get("EXTRA_SCOPES")),
                    },
                }
            )
        else:
            idp = {"entity_id": get("IDP_ENTITY_ID")}
            if get("IDP_METADATA_URL"):
                idp["metadata_url"] = get("IDP_METADATA_URL")
            else:
                idp["sso_url"] = get("IDP_SSO_URL")
                idp["x509cert"] = _pem_body(get("IDP_CERT"))
            saml_apps.append(
                {
                    "provider_id": provider_id,
                    "client_id": provider_id,
                    "name": get("LABEL"),
                    "settings": {
                        "idp": idp,
                        "sp": {"entity_id": get("SP_ENTITY_ID")}
                        if get("SP_ENTITY_ID")
                        else {},
                        "attribute_mapping": {
                            "uid": get("CLAIM_UID", "")
                            or "urn:oasis:names:tc:SAML:attribute:subject-id",
                            "email": claims["email"],
                            "first_name": claims["given_name"],
                            "last_name": claims["family_name"],
                        },
                        "use_nameid_for_email": not claims["email"],
                        "advanced": {
                            # Every check python3-saml has: signature, audience,
                            # recipient, destination, time window (strict mode);
                            # replays are refused by accounts.sso.
                            "strict": True,
                            "want_assertion_signed": True,
                            "want_message_signed": False,
                            "reject_idp_initiated_sso": True,
                            "reject_deprecated_algorithm": True,
                            "allow_single_label_domains": True,
                        },
                    },
                }
            )
    socialaccount_providers = {
        "openid_connect": {"APPS": openid_apps},
        # allauth's SAML provider, plus the authentication context and a refusal
        # of replayed assertions (python3-saml remembers nothing between requests).
        "saml": {
            "APPS": saml_apps,
            "provider_class": "accounts.sso.OneUseSAMLProvider",
        },
    }
    return socialaccount_providers, providers, problems
