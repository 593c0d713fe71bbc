"""Fixtures: a live OpenID Connect provider and a live SAML provider (real
processes, once per module), and the portal configured to trust them through the
same environment variables production uses (config/sso.py)."""

import copy

import pytest

from config.sso import form_action_origins, read_sso_environment
from tests.identity_providers.processes import (
    free_port,
    key_and_certificate,
    start,
    stop,
    write_directory,
)

OIDC_ID = "hospital-oidc"
SAML_ID = "hospital-saml"
OIDC_LABEL = "Sign in with Hospital ID (OpenID Connect)"
SAML_LABEL = "Sign in with Hospital ID (SAML)"
DIRECTORY_PASSWORD = "directory-password-123"  # noqa: S105 - test directory


def person(username: str, **entry) -> dict:
    return {
        "password": DIRECTORY_PASSWORD,
        "email": f"{username}@hospital.example",
        **entry,
    }


class LiveProvider:
    def __init__(self, base_url: str, directory_path, env: dict) -> None:
        self.base_url = base_url
        self.directory_path = directory_path
        self.env = env
        self.directory: dict = {"people": {}}

    def set_directory(self, **changes) -> None:
        """Change the provider's directory, as its administrator would."""
        self.directory.update(changes)
        write_directory(self.directory_path, self.directory)


@pytest.fixture(scope="module")
def oidc_provider(live_server, tmp_path_factory, request):
    folder = tmp_path_factory.mktemp("oidc-idp")
    port = free_port()
    key_path, _, _ = key_and_certificate(folder, "oidc")
    provider = LiveProvider(f"http://127.0.0.1:{port}", folder / "directory.json", {})
    provider.set_directory(people=getattr(request.module, "OIDC_PEOPLE", {}))
    process = start(
        "tests.identity_providers.oidc.serve",
        [str(port), f"{live_server.url}/accounts/oidc/{OIDC_ID}/login/callback/"],
        {
            "IDP_DATABASE": str(folder / "idp.sqlite3"),
            "IDP_DIRECTORY": str(provider.directory_path),
            "IDP_PRIVATE_KEY": key_path.read_text(),
        },
        f"{provider.base_url}/.well-known/openid-configuration",
        folder / "idp.log",
    )
    provider.env = {
        "SSO_PROVIDERS": OIDC_ID,
        "SSO_HOSPITAL_OIDC_PROTOCOL": "oidc",
        "SSO_HOSPITAL_OIDC_LABEL": OIDC_LABEL,
        "SSO_HOSPITAL_OIDC_ISSUER": provider.base_url,
        "SSO_HOSPITAL_OIDC_CLIENT_ID": "telecampus",
        "SSO_HOSPITAL_OIDC_CLIENT_SECRET": "telecampus-test-client-secret",
    }
    yield provider
    stop(process)


@pytest.fixture(scope="module")
def saml_provider(live_server, tmp_path_factory, request):
    folder = tmp_path_factory.mktemp("saml-idp")
    port = free_port()
    key_path, cert_path, cert_pem = key_and_certificate(folder, "saml")
    other_key, other_cert, _ = key_and_certificate(folder, "impostor")
    provider = LiveProvider(f"http://127.0.0.1:{port}", folder / "directory.json", {})
    provider.set_directory(
        people=getattr(request.module, "SAML_PEOPLE", {}), saml_mode="normal"
    )
    process = start(
        "tests.identity_providers.saml.serve",
        [str(port)],
        {
            "IDP_DIRECTORY": str(provider.directory_path),
            "IDP_KEY": str(key_path),
            "IDP_CERT": str(cert_path),
            "IDP_OTHER_KEY": str(other_key),
            "IDP_OTHER_CERT": str(other_cert),
            "IDP_SP_METADATA_URL": (
                f"{live_server.url}/accounts/saml/{SAML_ID}/metadata/"
            ),
        },
        f"{provider.base_url}/",
        folder / "idp.log",
    )
    provider.env = {
        "SSO_PROVIDERS": SAML_ID,
        "SSO_HOSPITAL_SAML_PROTOCOL": "saml",
        "SSO_HOSPITAL_SAML_LABEL": SAML_LABEL,
        "SSO_HOSPITAL_SAML_IDP_ENTITY_ID": f"{provider.base_url}/metadata",
        "SSO_HOSPITAL_SAML_IDP_SSO_URL": f"{provider.base_url}/sso",
        "SSO_HOSPITAL_SAML_IDP_CERT": cert_pem,
    }
    yield provider
    stop(process)


def configure_portal(settings, *providers: LiveProvider) -> None:
    """Point the running portal at these providers, through config/sso.py."""
    env: dict = {}
    for provider in providers:
        env.update(provider.env)
    env["SSO_PROVIDERS"] = ",".join(p.env["SSO_PROVIDERS"] for p in providers)
    socialaccount, sso, problems = read_sso_environment(env)
    assert problems == []
    settings.SOCIALACCOUNT_PROVIDERS = socialaccount
    settings.SSO_PROVIDERS = sso
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["form-action"] = ["'self'", *form_action_origins(sso)]
    settings.CONTENT_SECURITY_POLICY = policy
