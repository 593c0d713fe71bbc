"""Wagtail admin: certificate templates are snippets (registered on the model); an
activity's page header and its "More" menu offer bulk issuing; the coordinators'
pages (find and revoke, name corrections, bulk issuing runs) live at
/admin/certificates/, linked from the main menu; "Certificate records" lists and
inspects certificates, name corrections, issuing runs and transcripts, read-only for
everyone (every change goes through the services, from the coordinators' pages)."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets.button import Button
from wagtail.permissions import register_permission_policy

from accounts.services import VIEW_ONLY, ActionsPermissionPolicy, LocalTimeColumn
from certificates.models import Certificate, IssuingRun, NameCorrection, Transcript
from certificates.urls import manage_urlpatterns
from courses.models import ActivityPage

for _model in (Certificate, NameCorrection, IssuingRun, Transcript):
    register_permission_policy(
        _model, ActionsPermissionPolicy(_model, actions=VIEW_ONLY)
    )


@hooks.register("register_admin_urls")
def register_coordinator_urls():
    return [
        path(
            "certificates/",
            include((manage_urlpatterns, "certificates_admin")),
        )
    ]


@hooks.register("register_page_listing_more_buttons")
def issue_certificates_button(page, user, next_url=None):
    if isinstance(page.specific_deferred, ActivityPage) and user.has_perm(
        "certificates.issue_certificates"
    ):
        yield Button(
            _("Issue certificates"),
            reverse("certificates_admin:issue_for_activity", args=[page.specific.uuid]),
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
                "certificates_admin:issue_for_activity",
                args=[page.specific_deferred.uuid],
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
        reverse("certificates_admin:manage"),
        icon_name="doc-full",
        order=650,
    )


class RecordViewSet(ModelViewSet):
    """List and inspect only: the permission policy above allows nothing else."""

    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = []  # no add or edit form is ever shown
    # Stored PDFs are private media: they reach people through certificates' views.
    inspect_view_fields_exclude = [
        "pdf",
        "snapshot",
        "claim_uuids",
        "refusals",
        "rendered_whole",
    ]


class CertificateViewSet(RecordViewSet):
    model = Certificate
    name = "certificate_records"
    url_prefix = "certificate-records"
    icon = "doc-full"
    menu_label = _("Certificates")
    list_display = [
        "code",
        "learner",
        "activity",
        "credit_type",
        "status",
        LocalTimeColumn.of(Certificate, "issued_at"),
    ]
    list_filter = ["status", "credit_type"]
    search_fields = ["code"]


class NameCorrectionViewSet(RecordViewSet):
    model = NameCorrection
    name = "name_corrections"
    url_prefix = "name-corrections"
    icon = "edit"
    menu_label = _("Name corrections")
    list_display = [
        "certificate",
        "requested_name",
        "status",
        LocalTimeColumn.of(NameCorrection, "requested_at"),
    ]
    list_filter = ["status"]


class IssuingRunViewSet(RecordViewSet):
    model = IssuingRun
    name = "issuing_runs"
    url_prefix = "issuing-runs"
    icon = "cogs"
    menu_label = _("Issuing runs")
    list_display = ["activity", "status", "done", "total", "issued", "refused"]
    list_filter = ["status"]


class TranscriptViewSet(RecordViewSet):
    model = Transcript
    name = "transcript_records"
    url_prefix = "transcript-records"
    icon = "list-ul"
    menu_label = _("Transcripts")
    list_display = [
        "code",
        "learner",
        "date_from",
        "date_to",
        LocalTimeColumn.of(Transcript, "issued_at"),
    ]
    search_fields = ["code"]


class CertificateRecordsGroup(ModelViewSetGroup):
    menu_label = _("Certificate records")
    menu_icon = "doc-full-inverse"
    menu_order = 660
    items = (
        CertificateViewSet,
        NameCorrectionViewSet,
        IssuingRunViewSet,
        TranscriptViewSet,
    )


@hooks.register("register_admin_viewset")
def register_certificate_records():
    return CertificateRecordsGroup()
