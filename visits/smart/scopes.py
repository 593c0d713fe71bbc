"""SMART App Launch 2 scopes: what they mean, in code and in plain words.

A scope is `patient/<Type>.<permissions>` (permissions a subset of "cruds", in
that order), or one of the launch and identity scopes. The API checks a request
against `allows`; the consent screen and the Connected apps page describe a
granted scope with `describe`.
"""

from dataclasses import dataclass
from itertools import combinations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from oauth2_provider.scopes import BaseScopes

READABLE_TYPES = (
    "Patient",
    "Practitioner",
    "Encounter",
    "Appointment",
    "Observation",
    "MedicationRequest",
    "DocumentReference",
    "Consent",
    "ServiceRequest",
    "Slot",
)
WRITABLE_TYPES = ("Observation", "Appointment")
CONTEXT_SCOPES = ("openid", "fhirUser", "profile", "launch/patient", "offline_access")
PERMISSION_ORDER = "cruds"


def _permission_sets() -> list[str]:
    return [
        "".join(chosen)
        for size in range(1, len(PERMISSION_ORDER) + 1)
        for chosen in combinations(PERMISSION_ORDER, size)
    ]


def all_scopes() -> list[str]:
    resource_scopes = [
        f"patient/{kind}.{permissions}"
        for kind in (*READABLE_TYPES, "*")
        for permissions in _permission_sets()
    ]
    return [*CONTEXT_SCOPES, *resource_scopes]


@dataclass(frozen=True)
class ResourceScope:
    kind: str  # a resource type or "*"
    permissions: str


def parse(scope: str) -> ResourceScope | None:
    if not scope.startswith("patient/") or "." not in scope:
        return None
    kind, _dot, permissions = scope.removeprefix("patient/").partition(".")
    if permissions not in _permission_sets():
        return None
    return ResourceScope(kind, permissions)


def allows(granted: str | list[str], kind: str, permission: str) -> bool:
    """Whether the granted scopes let an app do `permission` (one of "cruds") on
    resources of type `kind` in the patient's compartment."""
    scopes = granted.split() if isinstance(granted, str) else granted
    for scope in scopes:
        parsed = parse(scope)
        if parsed and parsed.kind in (kind, "*") and permission in parsed.permissions:
            return True
    return False


_TYPE_WORDS = {
    "Patient": _lazy("your name and contact details"),
    "Practitioner": _lazy("the names of your clinicians"),
    "Encounter": _lazy("your past video visits"),
    "Appointment": _lazy("your appointments"),
    "Observation": _lazy("your home readings (blood pressure and heart rate)"),
    "MedicationRequest": _lazy("your medicine refill requests"),
    "DocumentReference": _lazy("your visit notes, summaries and documents"),
    "Consent": _lazy("the consents you gave"),
    "ServiceRequest": _lazy("your referrals to specialists"),
    "Slot": _lazy("the free times for visits"),
    "*": _lazy("everything in your record"),
}


def describe(scope: str) -> str | None:
    """One scope in plain words for the patient, or None if it needs no words."""
    if scope == "offline_access":
        return _("Keep access when you are not using the app, until you disconnect it.")
    if scope in ("openid", "fhirUser", "profile"):
        return _("Know who you are (your name in TeleCampus).")
    if scope == "launch/patient":
        return None
    parsed = parse(scope)
    if parsed is None:
        return None
    what = _TYPE_WORDS.get(parsed.kind, parsed.kind)
    parts = []
    if "r" in parsed.permissions or "s" in parsed.permissions:
        parts.append(_("Read %(what)s.") % {"what": what})
    if "c" in parsed.permissions and parsed.kind in (*WRITABLE_TYPES, "*"):
        if parsed.kind in ("Observation", "*"):
            parts.append(_("Send new home readings to your record."))
        if parsed.kind in ("Appointment", "*"):
            parts.append(_("Book video visits for you."))
    return " ".join(parts) or None


def describe_all(scopes: str | list[str]) -> list[str]:
    scopes = scopes.split() if isinstance(scopes, str) else scopes
    described = []
    for scope in scopes:
        words = describe(scope)
        if words and words not in described:
            described.append(words)
    return described


class SmartScopes(BaseScopes):
    """django-oauth-toolkit's view of the scopes: every well-formed SMART v2 scope on
    a type we serve may be asked for; the API grants only what it implements."""

    def get_all_scopes(self):
        return {scope: describe(scope) or scope for scope in all_scopes()}

    def get_available_scopes(self, application=None, request=None, *args, **kwargs):
        return all_scopes()

    def get_default_scopes(self, application=None, request=None, *args, **kwargs):
        return ["launch/patient", "openid", "fhirUser", "patient/*.rs"]
