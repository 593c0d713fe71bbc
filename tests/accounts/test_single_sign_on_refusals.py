"""SAML answers the portal must refuse, produced by a real pysaml2 identity
provider on loopback (no mocked responses): unsigned, signed with a key the
portal does not trust, meant for another application, expired, and replayed.
Each refusal is a clear page with a 403 and no account is made."""

import re
from html import unescape

import pytest
import requests

from accounts.models import DirectoryGroupRole, User
from tests.identity_providers.fixtures import (
    DIRECTORY_PASSWORD,
    SAML_ID,
    configure_portal,
    person,
    saml_provider,  # noqa: F401 - fixture
)

SAML_PEOPLE = {
    "rivera": person("rivera", name="Ana Rivera", groups=["TC-Clinicians"]),
    # A directory entry sharing a patient's address (the patient persona's).
    "patient": person("patient", email="patient@example.org", groups=["TC-Clinicians"]),
}

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def portal(settings, saml_provider, live_server):  # noqa: F811
    configure_portal(settings, saml_provider)
    DirectoryGroupRole.objects.create(group="TC-Clinicians", role="clinician")
    saml_provider.set_directory(saml_mode="normal")
    return live_server


def _hidden_fields(page: str) -> dict:
    return {
        name: unescape(value)
        for name, value in re.findall(
            r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page
        )
    }


def saml_answer(
    portal, provider, username: str = "rivera"
) -> tuple[requests.Session, str, dict]:
    """Start sign-in at the portal, sign in at the provider; return the browser
    session, the portal's ACS address and the provider's signed answer."""
    browser = requests.Session()
    login_page = browser.get(f"{portal.url}/accounts/login/")
    token = browser.cookies["csrftoken"]
    to_provider = browser.post(
        f"{portal.url}/accounts/saml/{SAML_ID}/login/",
        data={"csrfmiddlewaretoken": token},
        headers={"Referer": login_page.url},
        allow_redirects=False,
    )
    assert to_provider.status_code == 302
    form = browser.get(to_provider.headers["Location"]).text
    answer_page = browser.post(
        f"{provider.base_url}/sso",
        data={
            **_hidden_fields(form),
            "username": username,
            "password": DIRECTORY_PASSWORD,
        },
    ).text
    acs = unescape(re.search(r'action="([^"]+)"', answer_page).group(1))
    fields = {
        name: unescape(value)
        for name, value in re.findall(
            r'name="(SAMLResponse|RelayState)" value="([^"]*)"', answer_page
        )
    }
    return browser, acs, fields


def test_a_good_answer_signs_in(portal, saml_provider):  # noqa: F811
    browser, acs, fields = saml_answer(portal, saml_provider)
    answer = browser.post(acs, data=fields)
    assert answer.status_code == 200, answer.text[:500]
    # A clinician without the provider's MFA claim must set up TOTP first.
    assert answer.url.endswith("/accounts/2fa/totp/activate/")
    user = User.objects.get(email="rivera@hospital.example")
    assert user.full_name == "Ana Rivera"
    assert user.role_names == {"clinician"}


@pytest.mark.parametrize(
    ("mode", "reason"),
    [
        ("unsigned", "was not signed"),
        ("wrong_key", "signature did not check out"),
        ("wrong_audience", "meant for another application"),
        ("expired", "had expired"),
    ],
)
def test_a_bad_answer_is_refused_and_makes_no_account(
    portal,
    saml_provider,  # noqa: F811
    mode,
    reason,
):
    saml_provider.set_directory(saml_mode=mode)
    browser, acs, fields = saml_answer(portal, saml_provider)
    answer = browser.post(acs, data=fields)
    assert answer.status_code == 403
    assert "sign-in was refused" in answer.text
    assert reason in answer.text
    assert not User.objects.filter(email="rivera@hospital.example").exists()


def test_a_replayed_answer_is_refused(portal, saml_provider):  # noqa: F811
    browser, acs, fields = saml_answer(portal, saml_provider)
    assert browser.post(acs, data=fields).status_code == 200
    User.objects.filter(email="rivera@hospital.example").delete()
    # Someone who captured the answer posts it again, from their own browser.
    replay = requests.Session().post(acs, data=fields)
    assert replay.status_code == 403
    assert "had already been used" in replay.text
    assert not User.objects.filter(email="rivera@hospital.example").exists()


def test_a_patient_account_is_never_taken_over_by_the_directory(
    portal,
    saml_provider,  # noqa: F811
    patient,
):
    browser, acs, fields = saml_answer(portal, saml_provider, username="patient")
    answer = browser.post(acs, data=fields)
    assert answer.status_code == 403
    assert "belongs to a patient account" in answer.text
    patient.refresh_from_db()
    assert patient.role_names == {"patient"}
    assert not patient.socialaccount_set.exists()
