"""Django admin, superusers' low-level repair only (accounts.permissions): read-only
views of the records. Staff see them under "Certificate records" in the Wagtail
admin; every change goes through the coordinators' pages, which call the services."""

from django.contrib import admin

from certificates.models import Certificate, IssuingRun, NameCorrection, Transcript


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ["code", "learner", "activity", "credit_type", "status", "issued_at"]
    list_filter = ["status", "credit_type"]
    search_fields = ["code", "learner__username", "learner__email"]


@admin.register(NameCorrection)
class NameCorrectionAdmin(ReadOnlyAdmin):
    list_display = ["certificate", "requested_name", "status", "requested_at"]
    list_filter = ["status"]


@admin.register(IssuingRun)
class IssuingRunAdmin(ReadOnlyAdmin):
    list_display = ["activity", "status", "done", "total", "issued", "refused"]


@admin.register(Transcript)
class TranscriptAdmin(ReadOnlyAdmin):
    list_display = ["code", "learner", "date_from", "date_to", "issued_at"]
