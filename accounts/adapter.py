"""allauth hooks: after sign-in each role lands where its work is (accounts.landing)."""

from allauth.account.adapter import DefaultAccountAdapter

from accounts.landing import landing_url


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request):
        # Only used when the sign-in carried no safe ?next= address.
        return landing_url(request.user)
