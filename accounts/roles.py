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
_MEETINGS_ADMIN = [
    "meetings.schedule_meeting",
    "meetings.change_meeting",
    "meetings.view_meeting",
    "meetings.view_occurrence",
    "meetings.view_actionitem",
]
# Clinic set-up in the Wagtail admin (visits/wagtail_hooks.py): configuration, no PHI.
# Visit types are withdrawn, never deleted; consent versions are only ever added.
_CLINIC_SET_UP = [
    "visits.view_visittype",
    "visits.add_visittype",
    "visits.change_visittype",
    "visits.view_consentdocument",
    "visits.add_consentdocument",
    "visits.view_clinicianprofile",
    "visits.add_clinicianprofile",
    "visits.change_clinicianprofile",
    "visits.view_weeklyhours",
    "visits.add_weeklyhours",
    "visits.change_weeklyhours",
    "visits.delete_weeklyhours",
    "visits.view_scheduleexception",
    "visits.add_scheduleexception",
    "visits.change_scheduleexception",
    "visits.delete_scheduleexception",
]
# Coordinators issue, revoke and correct certificates and edit their templates.
_CERTIFICATES_MANAGE = [
    "certificates.view_certificate",
    "certificates.revoke_certificate",
    "certificates.issue_certificates",
    "certificates.view_namecorrection",
    "certificates.change_namecorrection",
    "certificates.view_issuingrun",
    "certificates.view_transcript",
    "certificates.view_certificatetemplate",
    "certificates.add_certificatetemplate",
    "certificates.change_certificatetemplate",
]

ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.PATIENT: [],
    Role.CLINICIAN: [
        "meetings.schedule_meeting",
        "visits.provide_care",
        "visits.break_glass",
    ],
    Role.SPECIALIST: ["visits.receive_referrals"],
    Role.EDITOR: [
        *_WAGTAIL_ADMIN,
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
        # cms: page permissions are GroupPagePermission rows, see cms.setup.
        "cms.add_alert",
        "cms.change_alert",
        "cms.delete_alert",
        "cms.publish_alert",
        "cms.add_alertarea",
        "cms.change_alertarea",
        "cms.delete_alertarea",
        "simple_translation.submit_translation",
        "wagtailsearchpromotions.add_searchpromotion",
        "wagtailsearchpromotions.change_searchpromotion",
        "wagtailsearchpromotions.delete_searchpromotion",
    ],
    Role.CLINICAL_REVIEWER: [*_WAGTAIL_ADMIN],
    Role.CME_COORDINATOR: [
        *_WAGTAIL_ADMIN,
        "courses.view_enrolment",
        "courses.add_person",
        "courses.change_person",
        "courses.view_person",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
        *_CERTIFICATES_MANAGE,
    ],
    Role.MEETING_ADMINISTRATOR: [*_WAGTAIL_ADMIN, *_MEETINGS_ADMIN],
    Role.AUDITOR: [
        *_WAGTAIL_ADMIN,
        "meetings.view_meeting",
        "meetings.view_occurrence",
        "meetings.view_actionitem",
        "courses.view_enrolment",
        "certificates.view_certificate",
        "visits.search_audit",
        "visits.review_break_glass",
    ],
    Role.SITE_ADMINISTRATOR: [
        *_WAGTAIL_ADMIN,
        *_MEETINGS_ADMIN,
        *_CERTIFICATES_MANAGE,
        *_CLINIC_SET_UP,
        "accounts.deactivate_person",
        # SCIM directory clients, read-only (tokens come from manage.py scim_token).
        "accounts.view_directoryclient",
        # Which directory groups grant which roles (single sign-on, SCIM; #14).
        "accounts.view_directorygrouprole",
        "accounts.add_directorygrouprole",
        "accounts.change_directorygrouprole",
        "accounts.delete_directorygrouprole",
    ],
}
