"""Staff single sign-on through allauth's OpenID Connect and SAML providers (#14).

allauth calls SingleSignOnAdapter at each step of a sign-in through an identity
provider configured in config/sso.py. Here we read the provider's claims (OIDC
ID token and userinfo, SAML attributes and authentication context), make the
account just in time, give it exactly the roles the directory's groups map to
(accounts.services.apply_directory_groups) at every sign-in, refuse replayed SAML
assertions, and skip the portal's TOTP step when the provider asserted
multi-factor authentication (docs/decisions/0017).
"""

import logging
import time
from datetime import UTC, datetime, timedelta

from allauth.account import app_settings as account_settings
from allauth.account.models import EmailAddress
from allauth.account.signals import user_logged_in
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.mfa.stages import AuthenticateStage
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialLogin
from allauth.socialaccount.providers.saml.provider import SAMLProvider
from django.conf import settings
from django.core.exceptions import ValidationError
from django.dispatch import receiver
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Profession
from accounts.roles import Role
from accounts.services import apply_directory_groups, use_single_sign_on_assertion
from accounts.validators import validate_time_zone

logger = logging.getLogger(__name__)

# Set at sign-in; StaffMFARequiredMiddleware trusts the provider's second factor.
SESSION_MFA_BY_PROVIDER = "sso_mfa_by_provider"
SESSION_SIGNED_IN_BY_DIRECTORY_AT = "sso_signed_in_at"
_AUTHN_CONTEXTS = "_authn_context_class_refs"


def provider_config(provider_id: str) -> dict | None:
    for provider in settings.SSO_PROVIDERS:
        if provider["id"] == provider_id:
            return provider
    return None


def _config_of(sociallogin: SocialLogin) -> dict | None:
    account = sociallogin.account
    # OIDC accounts carry the app's provider_id; SAML ones "saml" plus the app.
    provider_id = account.provider
    if provider_id == SAMLProvider.id:
        provider_id = sociallogin.provider.app.client_id
    return provider_config(provider_id)


def _as_list(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    return [str(value)]


def claims_of(sociallogin: SocialLogin) -> dict[str, list[str]]:
    """Every claim or attribute the provider sent, each as a list of strings."""
    data = sociallogin.account.extra_data or {}
    if "id_token" in data or "userinfo" in data:
        # The ID token's own statements (amr, acr) win over userinfo's.
        merged = {**(data.get("userinfo") or {}), **(data.get("id_token") or {})}
    else:
        merged = data
    return {key: _as_list(value) for key, value in merged.items()}


def _first(claims: dict[str, list[str]], name: str) -> str:
    values = claims.get(name) or []
    return values[0].strip() if values and values[0] else ""


def asserted_mfa(sociallogin: SocialLogin) -> bool:
    """Did the provider say the person passed a second factor (amr, acr, or the
    SAML AuthnContextClassRef), by one of the values configured as meaning so?"""
    config = _config_of(sociallogin)
    if config is None:
        return False
    claims = claims_of(sociallogin)
    stated = {*claims.get("amr", []), *claims.get("acr", [])}
    stated.update(claims.get(_AUTHN_CONTEXTS, []))
    return bool(stated & set(config["mfa_values"]))


def directory_groups(sociallogin: SocialLogin) -> list[str]:
    config = _config_of(sociallogin)
    if config is None:
        return []
    return claims_of(sociallogin).get(config["groups_claim"], [])


def refusal(request, reason: str, *, status: int = 403):
    """The one page a refused single sign-on shows: what happened, what to do."""
    return render(
        request,
        "accounts/sso_refused.html",
        {"reason": reason},
        status=status,
    )


# python3-saml's reasons, in words a person can act on.
_SAML_REASONS = [
    ("not signed", gettext_lazy("the identity provider's answer was not signed.")),
    ("signature", gettext_lazy("the identity provider's signature did not check out.")),
    ("audience", gettext_lazy("the answer was meant for another application.")),
    ("expired", gettext_lazy("the answer had expired.")),
    ("timestamp", gettext_lazy("the answer was outside its time window.")),
    ("recipient", gettext_lazy("the answer was addressed to another address.")),
    ("destination", gettext_lazy("the answer was addressed to another address.")),
]


def _plain_reason(technical: str) -> str:
    lowered = technical.lower()
    for needle, reason in _SAML_REASONS:
        if needle in lowered:
            return str(reason)
    return _("the identity provider's answer could not be accepted.")


class OneUseSAMLProvider(SAMLProvider):
    """allauth's SAML provider that keeps the authentication context and accepts
    each assertion once: python3-saml checks signature, audience, recipient and
    time window but remembers nothing between requests."""

    # allauth finds a provider's URLs next to its class: keep allauth's.
    package = "allauth.socialaccount.providers.saml"

    def extract_extra_data(self, data):
        extra = dict(super().extract_extra_data(data))
        extra[_AUTHN_CONTEXTS] = list(data.get_last_authn_contexts() or [])
        return extra

    def extract_email_addresses(self, data):
        # A signed, in-time assertion from the configured provider vouches for
        # the address, so a staff member's local account is linked by it.
        email = self._extract(data).get("email")
        return [EmailAddress(email=email, verified=True, primary=True)] if email else []

    def sociallogin_from_response(self, request, response):
        not_on_or_after = response.get_last_assertion_not_on_or_after()
        expires_at = (
            datetime.fromtimestamp(not_on_or_after, tz=UTC)
            if not_on_or_after
            else datetime.now(tz=UTC) + timedelta(days=1)
        )
        if not use_single_sign_on_assertion(
            provider=self.app.client_id,
            assertion_id=response.get_last_assertion_id() or "",
            expires_at=expires_at,
        ):
            logger.warning("Replayed SAML assertion refused (%s)", self.app.client_id)
            raise ImmediateHttpResponse(
                refusal(request, _("this sign-in answer had already been used."))
            )
        return super().sociallogin_from_response(request, response)


class SingleSignOnAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin) -> bool:
        # Staff accounts are made just in time; the directory decides who is staff.
        return True

    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ) -> None:
        technical = (extra_context or {}).get("saml_last_error_reason") or str(
            exception or error or ""
        )
        logger.warning("Single sign-on refused: %s", technical)
        raise ImmediateHttpResponse(refusal(request, _plain_reason(technical)))

    def pre_social_login(self, request, sociallogin) -> None:
        if _config_of(sociallogin) is None:
            raise ImmediateHttpResponse(
                refusal(request, _("this identity provider is not configured."))
            )
        email = _first(
            claims_of(sociallogin), _config_of(sociallogin)["claims"]["email"]
        )
        if not (email or sociallogin.user.email):
            raise ImmediateHttpResponse(
                refusal(request, _("the identity provider sent no email address."))
            )
        user = sociallogin.user
        if user.pk and user.has_role(Role.PATIENT):
            # Patients keep their own passwords: a hospital directory entry that
            # shares a patient's address must not take over the patient's record.
            raise ImmediateHttpResponse(
                refusal(
                    request,
                    _(
                        "this address belongs to a patient account, which signs "
                        "in with its own password."
                    ),
                )
            )
        if user.pk:
            apply_directory_roles(sociallogin)

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        claims = claims_of(sociallogin)
        names = _config_of(sociallogin)["claims"]
        email = _first(claims, names["email"])
        if email:
            user.email = email
        full_name = _first(claims, names["name"]) or " ".join(
            part
            for part in (
                _first(claims, names["given_name"]),
                _first(claims, names["family_name"]),
            )
            if part
        )
        user.full_name = full_name[:200]
        zone = _first(claims, names["time_zone"])
        if zone:
            try:
                validate_time_zone(zone)
                user.time_zone = zone
            except ValidationError:
                # A zone the portal cannot show times in keeps the default.
                logger.info("Ignored a time-zone claim that is not an IANA zone")
        profession = _first(claims, names["profession"]).lower()
        if profession in Profession.values:
            user.profession = profession
        return user

    def save_user(self, request, sociallogin, form=None):
        user = super().save_user(request, sociallogin, form=form)
        # The directory vouches for its own addresses.
        user.emailaddress_set.filter(email__iexact=user.email).update(verified=True)
        apply_directory_roles(sociallogin)
        return user


class DirectoryMFAAwareAuthenticateStage(AuthenticateStage):
    """allauth's TOTP step, skipped when the identity provider already asserted a
    second factor: one person, one prompt."""

    def _should_handle(self, request) -> bool:
        sociallogin = (self.login.signal_kwargs or {}).get("sociallogin")
        if sociallogin is not None and asserted_mfa(sociallogin):
            return False
        return super()._should_handle(request)


def apply_directory_roles(sociallogin: SocialLogin) -> None:
    """The roles the directory grants today, before anything reads them (the
    landing page, the TOTP rule)."""
    user = sociallogin.user
    added, removed = apply_directory_groups(
        user=user, group_names=directory_groups(sociallogin)
    )
    if added or removed:
        logger.info(
            "Directory roles for user %s: added %s, removed %s",
            user.uuid,
            sorted(role.value for role in added),
            sorted(role.value for role in removed),
        )


@receiver(user_logged_in, dispatch_uid="accounts.sso.remember_provider_mfa")
def _remember_provider_mfa(sender, request, user, **kwargs) -> None:
    sociallogin = kwargs.get("sociallogin")
    request.session[SESSION_MFA_BY_PROVIDER] = bool(
        sociallogin is not None and asserted_mfa(sociallogin)
    )
    if sociallogin is not None:
        request.session[SESSION_SIGNED_IN_BY_DIRECTORY_AT] = time.time()
    else:
        request.session.pop(SESSION_SIGNED_IN_BY_DIRECTORY_AT, None)


def signed_in_by_directory_moments_ago(request) -> bool:
    """Within allauth's reauthentication window of a single sign-on."""
    signed_in_at = request.session.get(SESSION_SIGNED_IN_BY_DIRECTORY_AT)
    return signed_in_at is not None and (
        time.time() - signed_in_at < account_settings.REAUTHENTICATION_TIMEOUT
    )
