"""The site's main navigation: which links a person sees, by role.

A context processor in config/ because it wires together URL names of every app
(by name, through reverse(), so no app imports another). The navigation is one
data table, role -> links: a person with several roles sees the union, each link
once, in table order. To give a role a new screen, add a row to its list.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role

ANONYMOUS = "anonymous"

HOME = ("wagtail_serve", _("Home"))
MY_WORK = ("staff_home", _("My work"))
SEARCH = ("cms:search", _("Search health topics"))
CATALOGUE = ("courses:catalogue", _("CME activities"))
MY_VISITS = ("visits:home", _("My visits"))
MY_CME = ("courses:dashboard", _("My CME"))
MY_CERTIFICATES = ("certificates:mine", _("My certificates"))
MY_MEETINGS = ("meetings:mine", _("My meetings"))
REFERRALS = ("visits:referrals", _("Referrals"))
ADMIN = ("wagtailadmin_home", _("Admin"))

# (URL name, label) per audience, in the order they appear.
NAVIGATION_BY_ROLE: dict[str, list[tuple[str, object]]] = {
    ANONYMOUS: [HOME, SEARCH, CATALOGUE],
    Role.PATIENT: [HOME, SEARCH, MY_VISITS],
    Role.CLINICIAN: [MY_WORK, MY_VISITS, MY_CME, MY_CERTIFICATES, MY_MEETINGS],
    Role.SPECIALIST: [
        MY_WORK,
        REFERRALS,
        MY_VISITS,
        MY_CME,
        MY_CERTIFICATES,
        MY_MEETINGS,
    ],
    Role.EDITOR: [ADMIN, HOME, SEARCH, MY_MEETINGS],
    Role.CLINICAL_REVIEWER: [ADMIN, HOME, SEARCH, MY_CME, MY_MEETINGS],
    Role.CME_COORDINATOR: [
        MY_WORK,
        ("courses_reports", _("CME reports")),
        ("certificates_admin:manage", _("Certificates")),
        MY_MEETINGS,
    ],
    Role.MEETING_ADMINISTRATOR: [
        MY_WORK,
        MY_MEETINGS,
        ("meetings:schedule", _("Schedule a meeting")),
    ],
    # Auditor work only: no patient links, no health-topic search.
    Role.AUDITOR: [
        MY_WORK,
        ("visits:audit", _("Audit log")),
        ("visits:break_glass_queue", _("Emergency access review")),
    ],
    Role.SITE_ADMINISTRATOR: [MY_WORK, ADMIN, MY_MEETINGS],
}


def _audiences(user) -> list[str]:
    if not user.is_authenticated:
        return [ANONYMOUS]
    audiences = [role for role in NAVIGATION_BY_ROLE if role in user.role_names]
    if user.is_superuser and Role.SITE_ADMINISTRATOR not in audiences:
        audiences.append(Role.SITE_ADMINISTRATOR)
    # A signed-in person without a role browses like a patient.
    return audiences or [Role.PATIENT]


def _url(url_name: str) -> str:
    # Every URL name above exists; a typo should fail loudly, not drop a link.
    return (
        reverse(url_name, args=[""])
        if url_name == "wagtail_serve"
        else reverse(url_name)
    )


def navigation(request) -> dict:
    user = request.user
    seen, links = set(), []
    audiences = _audiences(user)
    for audience in audiences:
        for url_name, label in NAVIGATION_BY_ROLE[audience]:
            if url_name not in seen:
                seen.add(url_name)
                links.append({"url": _url(url_name), "label": label})
    return {
        "main_navigation": links,
        "viewer_is_patient": Role.PATIENT in audiences and user.is_authenticated,
    }
