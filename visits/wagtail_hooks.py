"""Clinic set-up in the Wagtail admin: visit types, consent versions, clinicians'
profiles, weekly hours and days off, under one "Clinic set-up" menu.

Configuration only, no PHI: clinical records and the audit log stay on visits' own
pages, which apply the access policy and audit every look (the audit log's admin
reads would not be). A visit type is withdrawn by unticking "Offered", never
deleted (visits point at it); a consent version is what patients agreed to, so it
is published as a new version and never edited or deleted. Permissions are the
models' own ("visits.change_weeklyhours"), narrowed per screen by
accounts.services.ActionsPermissionPolicy.
"""

from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permissions import register_permission_policy

from accounts.models import User
from accounts.services import (
    VIEW_ONLY,
    ActionsPermissionPolicy,
    LocalTimeColumn,
    Refusal,
    Role,
)
from visits.models import (
    ClinicianProfile,
    ConsentDocument,
    ScheduleException,
    VisitType,
    WeeklyHours,
)
from visits.services.catalogue import publish_consent
from visits.services.schedule import (
    add_schedule_exception,
    publish_weekly_hours,
    set_clinic,
)

register_permission_policy(
    VisitType,
    ActionsPermissionPolicy(VisitType, actions=VIEW_ONLY | {"add", "change"}),
)
register_permission_policy(
    ConsentDocument,
    ActionsPermissionPolicy(ConsentDocument, actions=VIEW_ONLY | {"add"}),
)
# Hours and days off are withdrawn and added again, never edited: adding goes
# through the schedule service, which refuses overlapping hours.
for _model in (WeeklyHours, ScheduleException):
    register_permission_policy(
        _model, ActionsPermissionPolicy(_model, actions=VIEW_ONLY | {"add", "delete"})
    )
register_permission_policy(
    ClinicianProfile,
    ActionsPermissionPolicy(ClinicianProfile, actions=VIEW_ONLY | {"add", "change"}),
)


class ClinicianChoices:
    """Hours and clinics belong to clinicians: only they are offered."""

    def formfield_for_dbfield(self, db_field, **kwargs):
        field = super().formfield_for_dbfield(db_field, **kwargs)
        if db_field.name == "clinician":
            field.queryset = User.objects.filter(
                groups__name=Role.CLINICIAN, is_active=True
            ).order_by("full_name", "username")
        return field


class VisitTypeViewSet(ModelViewSet):
    model = VisitType
    name = "visit_types"
    url_prefix = "visit-types"
    icon = "list-ul"
    menu_label = gettext_lazy("Visit types")
    list_display = ["name", "code", "duration_minutes", "questionnaire", "is_active"]
    list_filter = ["is_active", "questionnaire"]
    search_fields = ["name", "code"]
    form_fields = [
        "name",
        "code",
        "duration_minutes",
        "questionnaire",
        "intake_questions",
        "eligibility_notes",
        "is_active",
    ]
    inspect_view_enabled = True
    copy_view_enabled = False


class ConsentIndexView(generic.IndexView):
    add_item_label = gettext_lazy("Publish a new version")


class PublishConsentView(generic.CreateView):
    """The version number and the publishing time are the service's to give."""

    page_title = gettext_lazy("Publish a new version")
    submit_button_label = gettext_lazy("Publish this version")

    def save_instance(self):
        return publish_consent(text=self.form.cleaned_data["text"])


class ServiceCreateView(generic.CreateView):
    """A create screen whose row is made by a visits service (`save_instance`);
    the service's refusal shows on the form, and nothing is saved."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except Refusal as refusal:
            form.add_error(None, refusal.message)
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


class AddClinicView(ServiceCreateView):
    def save_instance(self):
        return set_clinic(**self.form.cleaned_data)


class AddWeeklyHoursView(ServiceCreateView):
    def save_instance(self):
        return publish_weekly_hours(**self.form.cleaned_data)


class AddScheduleExceptionView(ServiceCreateView):
    def save_instance(self):
        data = dict(self.form.cleaned_data)
        return add_schedule_exception(day=data.pop("date"), **data)


class ConsentDocumentViewSet(ModelViewSet):
    model = ConsentDocument
    name = "consent_versions"
    url_prefix = "consent-versions"
    icon = "doc-full"
    menu_label = gettext_lazy("Consent versions")
    index_view_class = ConsentIndexView
    add_view_class = PublishConsentView
    list_display = ["__str__", LocalTimeColumn.of(ConsentDocument, "published_at")]
    form_fields = ["text"]
    inspect_view_enabled = True
    copy_view_enabled = False


class ClinicianProfileViewSet(ClinicianChoices, ModelViewSet):
    model = ClinicianProfile
    name = "clinician_profiles"
    url_prefix = "clinician-profiles"
    icon = "user"
    menu_label = gettext_lazy("Clinicians' clinics")
    add_view_class = AddClinicView
    list_display = ["clinician", "clinic_name", "time_zone"]
    search_fields = ["clinic_name"]
    form_fields = ["clinician", "clinic_name", "time_zone", "visit_types"]
    inspect_view_enabled = True
    copy_view_enabled = False


class WeeklyHoursViewSet(ClinicianChoices, ModelViewSet):
    model = WeeklyHours
    name = "weekly_hours"
    url_prefix = "weekly-hours"
    icon = "time"
    menu_label = gettext_lazy("Weekly hours")
    add_view_class = AddWeeklyHoursView
    list_display = ["clinician", "weekday", "start_time", "end_time"]
    list_filter = ["weekday"]
    form_fields = ["clinician", "weekday", "start_time", "end_time"]
    copy_view_enabled = False


class ScheduleExceptionViewSet(ClinicianChoices, ModelViewSet):
    model = ScheduleException
    name = "schedule_exceptions"
    url_prefix = "schedule-exceptions"
    icon = "date"
    menu_label = gettext_lazy("Days off and extra hours")
    add_view_class = AddScheduleExceptionView
    list_display = ["clinician", "date", "kind", "start_time", "end_time"]
    list_filter = ["kind"]
    form_fields = ["clinician", "date", "kind", "start_time", "end_time"]
    copy_view_enabled = False


class ClinicSetUpGroup(ModelViewSetGroup):
    menu_label = gettext_lazy("Clinic set-up")
    menu_icon = "site"
    menu_order = 400
    items = (
        VisitTypeViewSet,
        ConsentDocumentViewSet,
        ClinicianProfileViewSet,
        WeeklyHoursViewSet,
        ScheduleExceptionViewSet,
    )


@hooks.register("register_admin_viewset")
def register_clinic_set_up():
    return ClinicSetUpGroup()
