"""Who may open a staff screen: the one permission check of every hand-made staff
view, and the Django admin's gate.

One behaviour, everywhere:

- not signed in: redirected to the sign-in page, and back afterwards;
- signed in without the permission: 404, the same answer as for a missing object,
  so a screen does not tell an outsider that it exists;
- signed in with the permission: the screen.

Screens in the Wagtail admin (`register_admin_urls`) sit behind Wagtail's own gate
first: a person without `wagtailadmin.access_admin` (a patient) is sent to the
sign-in page by Wagtail before this check runs. Wagtail's own views (page editor,
snippets, ModelViewSets) keep Wagtail's checks. visits keeps its access policy
(visits/access.py), which audits every refusal of a look at PHI; it answers 404 too.

The Django admin is the superusers' low-level repair tool: every staff job has its
screen in the Wagtail admin. `RepairAdminSite` lets in active superusers only and
answers everyone else as above.
"""

from collections.abc import Callable
from functools import wraps

from allauth.account.decorators import secure_admin_login
from django.contrib.admin import AdminSite
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse

View = Callable[..., HttpResponse]


def require_permission(permission: str) -> Callable[[View], View]:
    """Decorate a staff view: sign-in redirect, 404 without `permission`
    ("app_label.codename"), the view otherwise (see the module docstring)."""

    def decorator(view: View) -> View:
        @wraps(view)
        def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.has_perm(permission):
                raise Http404
            return view(request, *args, **kwargs)

        guarded.required_permission = permission
        return guarded

    return decorator


class RepairAdminSite(AdminSite):
    """The Django admin, for superusers' low-level repairs (a stuck outbox email,
    a registered patients' app, a record no screen reaches). The model registrations
    stay so that a superuser can repair anything; staff work in the Wagtail admin.
    Sign-in goes through allauth, so TOTP applies here too."""

    site_header = "TeleCampus low-level repair (superusers)"
    site_title = "TeleCampus repair"

    def has_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_superuser

    def admin_view(self, view, cacheable=False):
        gated = super().admin_view(view, cacheable)

        @wraps(gated)
        def superusers_only(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not self.has_permission(request):
                raise Http404
            return gated(request, *args, **kwargs)

        return superusers_only

    def login(self, request, extra_context=None):
        if request.user.is_authenticated and not self.has_permission(request):
            raise Http404
        return secure_admin_login(super().login)(request, extra_context)
