"""Accounts in the Wagtail admin: the table that turns directory groups into roles
(#14), edited by site administrators, applied at every single sign-on and by SCIM."""

from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from accounts.models import DirectoryGroupRole


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
