"""The site's main navigation: which links a person sees, by role.

A context processor in config/ because it wires together URL names of every app
(by name, through reverse(), so no app imports another).
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role

# (URL name, label, who sees it: "all", "anonymous", "staff" or a set of roles)
_LINKS = [
    ("cms:search", _("Search health topics"), "all"),
    ("courses:catalogue", _("CME activities"), "anonymous"),
    ("visits:home", _("My visits"), {Role.PATIENT, Role.CLINICIAN, Role.SPECIALIST}),
    ("visits:referrals", _("Referrals"), {Role.SPECIALIST}),
    (
        "courses:dashboard",
        _("My CME"),
        {Role.CLINICIAN, Role.SPECIALIST, Role.CLINICAL_REVIEWER},
    ),
    ("meetings:mine", _("My meetings"), "staff"),
    ("certificates:mine", _("My certificates"), {Role.CLINICIAN, Role.SPECIALIST}),
]


def _visible(audience, user) -> bool:
    if audience == "all":
        return True
    if audience == "anonymous":
        return not user.is_authenticated
    if not user.is_authenticated:
        return False
    if audience == "staff":
        return user.is_staff_role
    return any(user.has_role(role) for role in audience)


def navigation(request) -> dict:
    # Every URL name above exists; a typo should fail loudly, not drop a link.
    links = [
        {"url": reverse(url_name), "label": label}
        for url_name, label, audience in _LINKS
        if _visible(audience, request.user)
    ]
    return {"main_navigation": links}
