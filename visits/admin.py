"""Django admin, superusers' low-level repair only (accounts.permissions): staff set
the clinic up in the Wagtail admin (visits/wagtail_hooks.py). Configuration only:
visit types, consent versions, clinic hours.

Clinical records are deliberately absent: every look at PHI must go through
visits' own pages, which apply the access policy and write the audit log. The
audit log itself is view-only here (append-only everywhere).
"""

from django.contrib import admin

from visits.models import (
    AuditEvent,
    ClinicianProfile,
    ConsentDocument,
    ScheduleException,
    VisitType,
    WeeklyHours,
)


@admin.register(VisitType)
class VisitTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "duration_minutes", "questionnaire", "is_active"]
    prepopulated_fields = {"code": ["name"]}


@admin.register(ConsentDocument)
class ConsentDocumentAdmin(admin.ModelAdmin):
    list_display = ["version", "published_at"]

    def has_change_permission(self, request, obj=None) -> bool:
        # A published version is what patients agreed to: publish a new one instead.
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(WeeklyHours)
class WeeklyHoursAdmin(admin.ModelAdmin):
    list_display = ["clinician", "weekday", "start_time", "end_time"]


@admin.register(ClinicianProfile)
class ClinicianProfileAdmin(admin.ModelAdmin):
    list_display = ["clinician", "clinic_name", "time_zone"]
    filter_horizontal = ["visit_types"]


@admin.register(ScheduleException)
class ScheduleExceptionAdmin(admin.ModelAdmin):
    list_display = ["clinician", "date", "kind", "start_time", "end_time"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    # Patients stay out of the admin: a search term would put their username in
    # the URL, and admin reads are not audited. Auditors use visits' audit page.
    list_display = ["at", "actor", "action", "what", "ip_address"]
    list_filter = ["action"]
    search_fields = ["actor__username", "what"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
