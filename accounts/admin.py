from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import ProfessionalIdentifier, User


class ProfessionalIdentifierInline(admin.TabularInline):
    model = ProfessionalIdentifier
    extra = 0


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "email", "full_name", "profession", "is_active"]
    search_fields = ["username", "email", "full_name", "npi"]
    inlines = [ProfessionalIdentifierInline]
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
