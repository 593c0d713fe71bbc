"""Wagtail admin: faculty snippets with disclosure expiry, the CME reports menu and
a "CME report" button on each activity's page."""

from django.http import Http404
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets.button import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from courses.models import ActivityPage, Person
from courses.selectors import is_cme_document
from courses.views import coordinator


class PersonViewSet(SnippetViewSet):
    model = Person
    icon = "user"
    menu_label = _("Faculty and planners")
    list_display = ["name", "credentials", "disclosure_collected_on", "expires"]
    search_fields = ["name"]


register_snippet(PersonViewSet)


@hooks.register("register_admin_urls")
def register_report_urls():
    return [
        path("cme-reports/", coordinator.report_index, name="courses_reports"),
        path(
            "cme-reports/<uuid:activity_uuid>/",
            coordinator.report_detail,
            name="courses_report",
        ),
        path(
            "cme-reports/<uuid:activity_uuid>/pars.csv",
            coordinator.pars_export,
            name="courses_pars",
        ),
        path(
            "cme-reports/<uuid:activity_uuid>/acknowledgements.csv",
            coordinator.acknowledgement_export,
            name="courses_acknowledgements",
        ),
    ]


class ReportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(coordinator.REPORT_PERMISSION)


@hooks.register("register_admin_menu_item")
def register_report_menu_item():
    return ReportMenuItem(
        _("CME reports"), reverse("courses_reports"), icon_name="doc-full", order=300
    )


@hooks.register("before_serve_document")
def hide_cme_documents(document, request):
    """Lecture files are served only by courses.views.media, after its checks."""
    if is_cme_document(document):
        raise Http404


@hooks.register("register_page_header_buttons")
def activity_report_button(page, user, view_name=None, next_url=None):
    if isinstance(page.specific_deferred, ActivityPage) and user.has_perm(
        coordinator.REPORT_PERMISSION
    ):
        yield Button(
            _("CME report"),
            reverse("courses_report", args=[page.specific_deferred.uuid]),
            icon_name="doc-full",
            priority=20,
        )


@hooks.register("insert_global_admin_css")
def report_css():
    return format_html(
        '<link rel="stylesheet" href="{}">', static("css/courses_admin.css")
    )
