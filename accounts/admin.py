"""Django admin, superusers' low-level repair only (accounts.permissions): people
are managed in the Wagtail admin (Users, Directory groups, Directory clients)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.leaving import deactivate_person
from accounts.models import (
    DirectoryClient,
    ProfessionalIdentifier,
    User,
)


class ProfessionalIdentifierInline(admin.TabularInline):
    model = ProfessionalIdentifier
    extra = 0


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "email", "full_name", "profession", "is_active"]
    search_fields = ["username", "email", "full_name", "npi"]
    inlines = [ProfessionalIdentifierInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Unticking "Active" here is leaving too: close every door at once.
        if change and "is_active" in form.changed_data and not obj.is_active:
            deactivate_person(person=obj, actor=request.user)

    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (
            _("Profile"),
            {
                "fields": [
                    "full_name",
                    "preferred_name",
                    "time_zone",
                    "profession",
                    "npi",
                ]
            },
        ),
        (
            _("Board reporting"),
            {"fields": ["birth_month", "birth_day", "board_reporting_consent_at"]},
        ),
    ]


@admin.register(DirectoryClient)
class DirectoryClientAdmin(admin.ModelAdmin):
    """Tokens are issued and revoked with manage.py scim_token; shown here only."""

    list_display = ["name", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["name", "created_at", "last_used_at", "revoked_at"]
    exclude = ["token_hash"]

    def has_add_permission(self, request) -> bool:
        return False
