"""allauth hooks: after sign-in each role lands where its work is (accounts.landing)."""

from allauth.account.adapter import DefaultAccountAdapter

from accounts.landing import landing_url


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
