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

Staff model screens are Wagtail ModelViewSets, which check the model's own
permissions ("app_label.view_model", "add_", "change_", "delete_").
`ActionsPermissionPolicy` narrows that to the actions a screen offers at all, for
everyone, superusers too: records that only services change (certificates) are
listed and inspected, never edited; a consent version is published, never edited.

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
from wagtail.permission_policies.base import ModelPermissionPolicy

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


VIEW_ONLY = frozenset({"view"})


class ActionsPermissionPolicy(ModelPermissionPolicy):
    """The model's permissions, limited to `actions` ("view", "add", "change",
    "delete"). Register it with wagtail.permissions.register_permission_policy."""

    def __init__(self, model, *, actions: frozenset[str]):
        super().__init__(model)
        self.actions = actions

    def user_has_permission(self, user, action: str) -> bool:
        return action in self.actions and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission(
            [action for action in actions if action in self.actions]
        )


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
