"""Where each person lands after signing in: one table, read top to bottom.

URL names, reversed when someone signs in, so accounts imports no app above it.
Editors and clinical reviewers work in the Wagtail admin; other staff start on
their role-aware home ("My work"); patients on the public home page.
"""

from django.conf import settings
from django.urls import reverse

from accounts.roles import STAFF_ROLES, Role

# (who, URL name); the first row that matches the person wins.
LANDING_BY_ROLE: list[tuple[frozenset[Role], str]] = [
    (frozenset({Role.EDITOR, Role.CLINICAL_REVIEWER}), "wagtailadmin_home"),
    (STAFF_ROLES, "staff_home"),
]


def landing_url(user) -> str:
    if user.is_authenticated:
        roles = {Role(name) for name in user.role_names if name in Role.values}
        for audience, url_name in LANDING_BY_ROLE:
            if roles & audience:
                return reverse(url_name)
        if user.is_superuser:
            return reverse("staff_home")
    return settings.LOGIN_REDIRECT_URL
