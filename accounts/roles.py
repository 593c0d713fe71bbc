"""Roles are Django groups with permissions; this module is their single definition.

Permissions are named as "app_label.codename" strings so that apps above accounts can
add their own without accounts importing them. Groups are synced after every migrate
(see AccountsConfig.ready), so a permission that does not exist yet is simply skipped.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PATIENT = "patient", _("Patient")
    CLINICIAN = "clinician", _("Clinician")
    SPECIALIST = "specialist", _("Specialist")
    EDITOR = "editor", _("Editor")
    CLINICAL_REVIEWER = "clinical_reviewer", _("Clinical reviewer")
    CME_COORDINATOR = "cme_coordinator", _("CME coordinator")
    MEETING_ADMINISTRATOR = "meeting_administrator", _("Meeting administrator")
    AUDITOR = "auditor", _("Auditor")
    SITE_ADMINISTRATOR = "site_administrator", _("Site administrator")


# Every role but patient is staff: staff must use TOTP and have short idle sessions.
STAFF_ROLES = frozenset(Role) - {Role.PATIENT}

_WAGTAIL_ADMIN = ["wagtailadmin.access_admin"]

ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.PATIENT: [],
    Role.CLINICIAN: [
        "meetings.schedule_meeting",
        "visits.provide_care",
        "visits.break_glass",
    ],
    Role.SPECIALIST: ["visits.receive_referrals"],
    Role.EDITOR: _WAGTAIL_ADMIN
    + [
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
    ],
    Role.CLINICAL_REVIEWER: _WAGTAIL_ADMIN,
    Role.CME_COORDINATOR: _WAGTAIL_ADMIN,
    Role.MEETING_ADMINISTRATOR: _WAGTAIL_ADMIN
    + [
        "meetings.schedule_meeting",
        "meetings.change_meeting",
        "meetings.view_meeting",
        "meetings.view_occurrence",
        "meetings.view_actionitem",
    ],
    Role.AUDITOR: _WAGTAIL_ADMIN
    + [
        "meetings.view_meeting",
        "meetings.view_occurrence",
        "meetings.view_actionitem",
        "visits.search_audit",
        "visits.review_break_glass",
    ],
    Role.SITE_ADMINISTRATOR: _WAGTAIL_ADMIN
    + [
        "meetings.schedule_meeting",
        "meetings.change_meeting",
        "meetings.view_meeting",
        "meetings.view_occurrence",
        "meetings.view_actionitem",
    ],
}
