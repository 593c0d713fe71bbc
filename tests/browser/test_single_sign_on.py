"""Staff sign in through their organisation's identity provider, by clicking, against
real providers running on loopback (allauth's OpenID Connect provider and pysaml2's
SAML identity provider, started once for this module).

- Dana (a nurse in Denver) has no portal account: her first OpenID Connect sign-in
  makes it with the roles her directory groups map to; the provider asserted MFA,
  so no TOTP step. Her administrator then removes a group and her second factor
  is not asserted: the role is gone and the portal asks her to set up TOTP.
- The clinician persona already has a portal account with TOTP: signing in through
  SAML without the provider's MFA asks for the TOTP code; with it, it does not.
- A site administrator maps a directory group to a role in the Wagtail admin.
"""

import pytest
from allauth.socialaccount.models import SocialAccount
from playwright.sync_api import expect

from accounts.models import DirectoryGroupRole, User
from accounts.roles import Role
from tests.browser.helpers import serious_violations, sign_in
from tests.browser.shots import SHOTS, shoot
from tests.conftest import make_person
from tests.identity_providers.fixtures import (
    DIRECTORY_PASSWORD,
    OIDC_LABEL,
    SAML_LABEL,
    configure_portal,
    oidc_provider,  # noqa: F401 - fixture
    person,
    saml_provider,  # noqa: F401 - fixture
)
from tests.totp import totp_now

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

OIDC_PEOPLE = {
    "dana": person(
        "dana",
        name="Dana Ward",
        zoneinfo="America/Denver",
        profession="nurse",
        groups=["TC-Clinicians", "TC-Meeting-Admins"],
        mfa=True,
    )
}
SAML_PEOPLE = {
    "clinician": person(
        "clinician",
        email="clinician@example.org",
        name="Dana Clinician, MD",
        groups=["TC-Clinicians", "TC-Auditors"],
        mfa=False,
    )
}


@pytest.fixture
def portal(settings, live_server, oidc_provider, saml_provider):  # noqa: F811
    configure_portal(settings, oidc_provider, saml_provider)
    for group, role in [
        ("TC-Clinicians", Role.CLINICIAN),
        ("TC-Meeting-Admins", Role.MEETING_ADMINISTRATOR),
        ("TC-Auditors", Role.AUDITOR),
    ]:
        DirectoryGroupRole.objects.create(group=group, role=role)
    return live_server


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(lambda url: "/accounts/" not in url)


def test_first_oidc_sign_in_makes_the_account_and_later_follows_the_directory(
    page,
    portal,
    oidc_provider,  # noqa: F811
    settings,
):
    page.goto(f"{portal.url}/accounts/login/")
    expect(
        page.get_by_role("heading", name="Staff: sign in with your organisation")
    ).to_be_visible()
    expect(page.get_by_role("button", name=SAML_LABEL)).to_be_visible()
    assert serious_violations(page) == []
    shoot(page, "sso-sign-in")

    page.get_by_role("button", name=OIDC_LABEL).click()
    # The provider's own sign-in page, on its own port.
    page.wait_for_url(f"{oidc_provider.base_url}/**")
    page.get_by_label("Username").fill("dana")
    page.get_by_label("Password").fill(DIRECTORY_PASSWORD)
    page.get_by_role("button", name="Sign In").click()

    # MFA asserted by the provider: straight to her work, no TOTP prompt.
    page.wait_for_url(f"{portal.url}/staff/")
    expect(page.get_by_role("heading", name="My work")).to_be_visible()
    dana = User.objects.get(email="dana@hospital.example")
    assert dana.full_name == "Dana Ward"
    assert dana.time_zone == "America/Denver"
    assert dana.profession == "nurse"
    assert dana.role_names == {"clinician", "meeting_administrator"}
    assert not dana.has_usable_password()

    # Her administrator removes a group; today she signed in without a 2nd factor.
    oidc_provider.directory["people"]["dana"].update(
        groups=["TC-Clinicians"], mfa=False
    )
    oidc_provider.set_directory()
    sign_out(page)
    page.goto(f"{portal.url}/accounts/login/")
    page.get_by_role("button", name=OIDC_LABEL).click()
    # Still signed in at the provider: no password there, and back at the portal
    # the staff TOTP rule applies, since the provider asserted no second factor.
    page.wait_for_url(f"{portal.url}/accounts/2fa/totp/activate/")
    expect(
        page.get_by_text("Staff accounts must use two-factor authentication")
    ).to_be_visible()
    dana = User.objects.get(pk=dana.pk)
    assert dana.role_names == {"clinician"}


def test_saml_sign_in_asks_totp_unless_the_provider_asserted_mfa(
    page,
    portal,
    saml_provider,  # noqa: F811
    settings,
):
    clinician = make_person(
        "clinician", [Role.CLINICIAN], totp=True, full_name="Dana Clinician, MD"
    )
    visited: list[str] = []
    page.on("framenavigated", lambda frame: visited.append(frame.url))

    def sign_in_through_saml() -> None:
        page.goto(f"{portal.url}/accounts/login/")
        page.get_by_role("button", name=SAML_LABEL).click()
        page.get_by_label("Directory username").fill("clinician")
        page.get_by_label("Directory password").fill(DIRECTORY_PASSWORD)
        page.get_by_role("button", name="Sign in to the directory").click()

    sign_in_through_saml()
    # No MFA from the provider: the portal's own TOTP step, once.
    page.get_by_label("Code").fill(totp_now(settings.DEMO_TOTP_SECRET))
    page.locator('main form button[type="submit"]').first.click()
    page.wait_for_url(f"{portal.url}/staff/")
    # Linked to the existing account by its address; the directory added a role.
    assert SocialAccount.objects.get(user=clinician).provider == "hospital-saml"
    assert User.objects.get(pk=clinician.pk).role_names == {"clinician", "auditor"}
    sign_out(page)

    saml_provider.directory["people"]["clinician"]["mfa"] = True
    saml_provider.set_directory()
    visited.clear()
    sign_in_through_saml()
    page.wait_for_url(f"{portal.url}/staff/")
    expect(page.get_by_role("heading", name="My work")).to_be_visible()
    assert not [url for url in visited if "/2fa/authenticate" in url], visited
    assert User.objects.count() == 1

    # An expired answer: a clear refusal, still one account.
    sign_out(page)
    saml_provider.set_directory(saml_mode="expired")
    sign_in_through_saml()
    expect(
        page.get_by_role("heading", name="Your organisation's sign-in was refused")
    ).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("the answer had expired")
    assert serious_violations(page) == []
    shoot(page, "sso-refused")
    saml_provider.set_directory(saml_mode="normal")


def test_site_administrator_maps_a_directory_group_to_a_role(page, live_server):
    make_person("siteadmin", [Role.SITE_ADMINISTRATOR], totp=True)
    sign_in(page, live_server, "siteadmin", totp=True)
    page.get_by_role("link", name="Directory groups and roles").click()
    page.get_by_role("link", name="Add a group").first.click()
    page.get_by_label("Directory group").fill("Hospital-Auditors")
    page.get_by_label("Role").select_option(label="Auditor")
    assert serious_violations(page) == []
    shoot(page, "sso-directory-group-add")
    page.get_by_role("button", name="Create").click()
    expect(page.get_by_role("link", name="Hospital-Auditors")).to_be_visible()
    shoot(page, "sso-directory-groups")
    # Wagtail's sidebar slides shut when the window narrows; a phone opens the
    # page at its own width, so look at that too.
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(page.get_by_role("link", name="Hospital-Auditors")).to_be_visible()
    assert serious_violations(page) == []
    page.screenshot(path=f"{SHOTS}/sso-directory-groups-phone-390.png", full_page=True)
    assert DirectoryGroupRole.objects.filter(
        group="Hospital-Auditors", role=Role.AUDITOR
    ).exists()
