"""Single sign-on read from the environment (config/sso.py), the production check
for a half-configured provider (ops.E010), and the sign-in page's buttons."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from lxml import etree

from config.sso import form_action_origins, read_sso_environment
from ops.checks import check_single_sign_on

OKTA = {
    "SSO_PROVIDERS": "okta",
    "SSO_OKTA_PROTOCOL": "oidc",
    "SSO_OKTA_LABEL": "Sign in with Okta",
    "SSO_OKTA_ISSUER": "https://hospital.okta.com/oauth2/default/",
    "SSO_OKTA_CLIENT_ID": "0oa1",
    "SSO_OKTA_CLIENT_SECRET": "s3cret",
    "SSO_OKTA_MFA_VALUES": "mfa, otp",
}
ENTRA_SAML = {
    "SSO_PROVIDERS": "entra",
    "SSO_ENTRA_PROTOCOL": "saml",
    "SSO_ENTRA_LABEL": "Sign in with Microsoft",
    "SSO_ENTRA_IDP_ENTITY_ID": "https://sts.windows.net/tenant/",
    "SSO_ENTRA_IDP_SSO_URL": "https://login.microsoftonline.com/tenant/saml2",
    "SSO_ENTRA_IDP_CERT": "-----BEGIN CERTIFICATE-----\nMIIB\nAAAA\n"
    "-----END CERTIFICATE-----\n",
}


def test_an_oidc_provider_becomes_an_allauth_app_with_its_label():
    socialaccount, providers, problems = read_sso_environment(OKTA)
    assert problems == []
    (app,) = socialaccount["openid_connect"]["APPS"]
    assert app["provider_id"] == "okta"
    assert app["name"] == "Sign in with Okta"
    assert app["settings"]["server_url"] == "https://hospital.okta.com/oauth2/default"
    assert app["settings"]["oauth_pkce_enabled"] is True
    assert providers[0]["mfa_values"] == ["mfa", "otp"]
    assert providers[0]["groups_claim"] == "groups"
    assert form_action_origins(providers) == ["https://hospital.okta.com"]


def test_a_saml_provider_requires_signed_assertions_in_strict_mode():
    socialaccount, providers, problems = read_sso_environment(ENTRA_SAML)
    assert problems == []
    (app,) = socialaccount["saml"]["APPS"]
    assert app["client_id"] == "entra"
    assert app["settings"]["idp"]["x509cert"] == "MIIBAAAA"
    advanced = app["settings"]["advanced"]
    assert advanced["strict"] is True
    assert advanced["want_assertion_signed"] is True
    assert advanced["reject_idp_initiated_sso"] is True
    assert socialaccount["saml"]["provider_class"] == "accounts.sso.OneUseSAMLProvider"


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({**OKTA, "SSO_OKTA_CLIENT_SECRET": ""}, "missing SSO_OKTA_CLIENT_SECRET"),
        ({**OKTA, "SSO_OKTA_PROTOCOL": "ldap"}, "must be oidc or saml"),
        ({**ENTRA_SAML, "SSO_ENTRA_IDP_CERT": ""}, "missing SSO_ENTRA_IDP_CERT"),
        ({"SSO_PROVIDERS": "Bad Id!"}, "not a short lower-case id"),
    ],
)
def test_an_incomplete_provider_is_left_out_and_named(environ, expected):
    socialaccount, providers, problems = read_sso_environment(environ)
    assert providers == []
    assert socialaccount["openid_connect"]["APPS"] == []
    assert socialaccount["saml"]["APPS"] == []
    assert len(problems) == 1 and expected in problems[0]


def test_the_check_reports_an_incomplete_provider(settings):
    settings.SSO_CONFIGURATION_PROBLEMS = read_sso_environment(
        {**OKTA, "SSO_OKTA_ISSUER": ""}
    )[2]
    (error,) = check_single_sign_on()
    assert error.id == "ops.E010"
    assert "SSO_OKTA_ISSUER" in error.msg
    with pytest.raises(SystemCheckError, match="ops.E010"):
        call_command("check")


def test_no_single_sign_on_is_no_problem(settings):
    assert read_sso_environment({})[1:] == ([], [])
    assert check_single_sign_on() == []


def test_sign_in_page_shows_one_labelled_button_per_provider(client, db, settings):
    socialaccount, providers, _ = read_sso_environment(
        {**OKTA, **ENTRA_SAML, "SSO_PROVIDERS": "okta,entra"}
    )
    settings.SOCIALACCOUNT_PROVIDERS = socialaccount
    settings.SSO_PROVIDERS = providers
    page = client.get("/accounts/login/").content.decode()
    assert '<button type="submit" class="button sso-button">Sign in with Okta' in page
    assert 'action="/accounts/oidc/okta/login/?process=login"' in page
    assert "Sign in with Microsoft</button>" in page
    assert 'action="/accounts/saml/entra/login/?process=login"' in page


def test_without_providers_the_sign_in_page_has_no_staff_section(client, db):
    page = client.get("/accounts/login/").content.decode()
    assert "sign in with your organisation" not in page


def test_saml_service_provider_metadata_is_published_and_asks_for_signatures(
    client, db, settings
):
    socialaccount, providers, _ = read_sso_environment(ENTRA_SAML)
    settings.SOCIALACCOUNT_PROVIDERS = socialaccount
    settings.SSO_PROVIDERS = providers
    answer = client.get("/accounts/saml/entra/metadata/")
    assert answer.status_code == 200
    metadata = etree.fromstring(answer.content)
    names = {"md": "urn:oasis:names:tc:SAML:2.0:metadata"}
    assert metadata.get("entityID") == "http://testserver/accounts/saml/entra/metadata/"
    (descriptor,) = metadata.findall("md:SPSSODescriptor", names)
    assert descriptor.get("WantAssertionsSigned") == "true"
    (acs,) = descriptor.findall("md:AssertionConsumerService", names)
    assert acs.get("Location") == "http://testserver/accounts/saml/entra/acs/"
    assert acs.get("Binding") == "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
