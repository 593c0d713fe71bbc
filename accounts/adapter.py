"""allauth hooks: after sign-in each role lands where its work is (accounts.landing)."""

from allauth.account.adapter import DefaultAccountAdapter

from accounts.landing import landing_url
from accounts.sso import signed_in_by_directory_moments_ago


class AccountAdapter(DefaultAccountAdapter):
    def get_login_stages(self) -> list[str]:
        # allauth's TOTP step, but skipped when the identity provider asserted a
        # second factor (accounts.sso, docs/decisions/0017).
        return [
            "accounts.sso.DirectoryMFAAwareAuthenticateStage"
            if stage == "allauth.mfa.stages.AuthenticateStage"
            else stage
            for stage in super().get_login_stages()
        ]

    def get_login_redirect_url(self, request):
        # Only used when the sign-in carried no safe ?next= address.
        return landing_url(request.user)

    def get_signup_redirect_url(self, request):
        # A staff member's first single sign-on makes their account: they land on
        # their work like any other sign-in (patients on the home page).
        return landing_url(request.user)

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        # Directory accounts have no portal password to re-enter; their sign-in
        # at the directory moments ago is the proof allauth asks for (setting up
        # TOTP right after a first single sign-on).
        if self.request is not None and signed_in_by_directory_moments_ago(
            self.request
        ):
            return False
        return super().is_reauthentication_required(app=app, **kwargs)
