"""Wagtail admin: certificate templates are snippets (registered on the model); an
activity's page header and its "More" menu offer bulk issuing; the main menu links
to the coordinators' certificate pages."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets.button import Button

from courses.models import ActivityPage


@hooks.register("register_page_listing_more_buttons")
def issue_certificates_button(page, user, next_url=None):
    if isinstance(page.specific_deferred, ActivityPage) and user.has_perm(
        "certificates.issue_certificates"
    ):
        yield Button(
            _("Issue certificates"),
            reverse("certificates:issue_for_activity", args=[page.specific.uuid]),
            icon_name="doc-full",
            priority=90,
        )


@hooks.register("register_page_header_buttons")
def issue_certificates_header_button(page, user, view_name=None, next_url=None):
    if isinstance(page.specific_deferred, ActivityPage) and user.has_perm(
        "certificates.issue_certificates"
    ):
        yield Button(
            _("Issue certificates"),
            reverse(
                "certificates:issue_for_activity", args=[page.specific_deferred.uuid]
            ),
            icon_name="doc-full",
            priority=10,
        )


class CertificatesMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("certificates.view_certificate")


@hooks.register("register_admin_menu_item")
def certificates_menu_item():
    return CertificatesMenuItem(
        _("Certificates"),
        reverse("certificates:manage"),
        icon_name="doc-full",
        order=650,
    )
