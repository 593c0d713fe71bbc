"""Accounts in the Wagtail admin: "Deactivate (leaving)" in each person's menu of the
Users listing with its confirmation and report screens (accounts.leaving_views), and
the table that turns directory groups into roles (#14), edited by site
administrators, applied at every single sign-on and by SCIM, and the SCIM directory
clients, read-only (tokens are made and revoked with manage.py scim_token)."""

from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button
from wagtail.permissions import register_permission_policy

from accounts import leaving_views
from accounts.admin_columns import LocalTimeColumn
from accounts.leaving import deactivate_person
from accounts.models import DirectoryClient, DirectoryGroupRole
from accounts.permissions import VIEW_ONLY, ActionsPermissionPolicy

_WAS_ACTIVE = "_accounts_person_was_active"


@hooks.register("register_admin_urls")
def register_leaving_urls():
    return [
        path(
            "people/<uuid:person_uuid>/deactivate/",
            leaving_views.deactivate,
            name="accounts_deactivate",
        ),
        path(
            "people/leaving/<uuid:event_uuid>/",
            leaving_views.report,
            name="accounts_leaving_report",
        ),
    ]


@hooks.register("register_user_listing_buttons")
def deactivate_button(user, request_user):
    if (
        not user.is_active
        or user.pk == request_user.pk
        or not request_user.has_perm(leaving_views.PERMISSION)
    ):
        return []
    return [
        Button(
            _("Deactivate (leaving)"),
            reverse("accounts_deactivate", args=[user.uuid]),
            icon_name="warning",
            priority=50,
        )
    ]


@hooks.register("insert_global_admin_css")
def leaving_css():
    return format_html(
        '<link rel="stylesheet" href="{}">', static("css/accounts_admin.css")
    )


# Unticking "Active" on Wagtail's user edit form is leaving too: the same doors
# close and the administrator lands on the same report.
@hooks.register("before_edit_user")
def remember_whether_active(request, user):
    setattr(request, _WAS_ACTIVE, user.is_active)


@hooks.register("after_edit_user")
def close_every_door_when_unticked(request, user):
    if getattr(request, _WAS_ACTIVE, False) and not user.is_active:
        report = deactivate_person(person=user, actor=request.user)
        return redirect("accounts_leaving_report", event_uuid=report.event_uuid)
    return None


class DirectoryGroupRoleIndexView(generic.IndexView):
    # "Add directory group mapping" crowds the title out of a phone's header.
    add_item_label = gettext_lazy("Add a group")


class DirectoryGroupRoleViewSet(ModelViewSet):
    index_view_class = DirectoryGroupRoleIndexView
    model = DirectoryGroupRole
    name = "directory_group_roles"
    url_prefix = "directory-groups"
    icon = "group"
    menu_label = gettext_lazy("Directory groups")
    add_to_admin_menu = True
    menu_order = 900
    list_display = ["group", "role"]
    list_filter = ["role"]
    search_fields = ["group"]
    form_fields = ["group", "role"]
    copy_view_enabled = False
    inspect_view_enabled = False


@hooks.register("register_admin_viewset")
def register_directory_group_roles():
    return DirectoryGroupRoleViewSet()


register_permission_policy(
    DirectoryClient, ActionsPermissionPolicy(DirectoryClient, actions=VIEW_ONLY)
)


class DirectoryClientViewSet(ModelViewSet):
    model = DirectoryClient
    name = "directory_clients"
    url_prefix = "directory-clients"
    icon = "key"
    menu_label = gettext_lazy("Directory clients")
    add_to_admin_menu = True
    menu_order = 910
    list_display = [
        "name",
        *(
            LocalTimeColumn.of(DirectoryClient, name)
            for name in ("created_at", "last_used_at", "revoked_at")
        ),
    ]
    inspect_view_enabled = True
    # Only a hash of the token is kept, and even that stays out of sight.
    inspect_view_fields = ["name", "created_at", "last_used_at", "revoked_at"]
    form_fields = []  # no add or edit form is ever shown
    copy_view_enabled = False


@hooks.register("register_admin_viewset")
def register_directory_clients():
    return DirectoryClientViewSet()
