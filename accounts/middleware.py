import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import local_time
from accounts.services import has_totp
from accounts.sso import SESSION_MFA_BY_PROVIDER

_LAST_SEEN_KEY = "staff_last_seen"
# Writing the session on every request costs a write per page view; a minute of
# resolution is plenty for a 30-minute idle limit.
_LAST_SEEN_RESOLUTION_SECONDS = 60


class StaffSessionTimeoutMiddleware:
    """Sign staff out after STAFF_SESSION_IDLE_MINUTES without a request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.is_staff_role:
            now = int(time.time())
            last_seen = request.session.get(_LAST_SEEN_KEY)
            idle_limit = settings.STAFF_SESSION_IDLE_MINUTES * 60
            if last_seen is not None and now - last_seen > idle_limit:
                logout(request)
                messages.info(
                    request,
                    _("You were signed out after %(minutes)d minutes without activity.")
                    % {"minutes": settings.STAFF_SESSION_IDLE_MINUTES},
                )
                return redirect(f"{reverse('account_login')}?next={request.path}")
            if last_seen is None or now - last_seen >= _LAST_SEEN_RESOLUTION_SECONDS:
                request.session[_LAST_SEEN_KEY] = now
        return self.get_response(request)


class StaffMFARequiredMiddleware:
    """Staff must set up TOTP before they reach any admin or clinical page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and request.path.startswith(tuple(settings.MFA_REQUIRED_PATH_PREFIXES))
            and user.is_staff_role
            and not request.session.get(SESSION_MFA_BY_PROVIDER)
            and not has_totp(user)
        ):
            messages.warning(
                request,
                _(
                    "Staff accounts must use two-factor authentication. "
                    "Set up an authenticator app to continue."
                ),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)


class ViewerTimeZoneMiddleware:
    """Show every time in the signed-in person's own zone (their profile's), so
    templates and forms never fall back to the server's UTC."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        zone = getattr(request.user, "time_zone", None)
        if not zone:
            return self.get_response(request)
        with timezone.override(local_time.zone_of(zone)):
            return self.get_response(request)
