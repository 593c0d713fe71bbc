"""Writes the append-only PHI audit trail: who, what, when, from where.

Called by visits.access (every allowed or refused look at PHI) and by services
run outside a request (the FHIR export command). access_log_for reads the trail
back for the patient's own "Who viewed my record" page.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.services import STAFF_ROLES, client_ip
from visits.models import AuditEvent

# What record_event is told happened (read, write, denied, break glass ...).
Action = AuditEvent.Action


def _address(request: HttpRequest | None) -> str | None:
    # The one rule for "the client's address" (X-Forwarded-For behind the trusted
    # proxies, else REMOTE_ADDR); outside a request, or with none known, no address.
    return (client_ip(request) or None) if request else None


def record_reads(*, actor, what: str, patients, request: HttpRequest) -> None:
    """One READ event per patient shown on a listing page, in one insert."""
    AuditEvent.objects.bulk_create(
        AuditEvent(
            actor=actor,
            action=AuditEvent.Action.READ,
            patient=patient,
            what=what,
            path=request.get_full_path()[:300],
            ip_address=_address(request),
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:200],
        )
        for patient in {patient.pk: patient for patient in patients}.values()
    )


def record_event(
    *,
    actor,
    action: str,
    what: str,
    patient=None,
    object_uuid=None,
    request: HttpRequest | None = None,
    path: str = "",
    via_app: str = "",
) -> AuditEvent:
    return AuditEvent.objects.create(
        via_app=via_app[:200],
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        patient=patient,
        what=what,
        object_uuid=object_uuid,
        path=(request.get_full_path() if request else path)[:300],
        ip_address=_address(request),
        user_agent=(request.META.get("HTTP_USER_AGENT", "") if request else "")[:200],
    )


# What each kind of audited item is called when a patient reads their own log.
# Kinds missing here (a new page, say) read as "part of your record".
_WHAT_FOR_PATIENTS = {
    "after_visit_summary": _("your after-visit summary"),
    "alert": _("an alert about your home readings"),
    "break_glass": _("your record, in an emergency"),
    "break_glass_form": _("your record, in an emergency"),
    "break_glass_grant": _("your record, in an emergency"),
    "break_glass_review": _("the review of emergency access to your record"),
    "clinical_note": _("a clinical note from your visit"),
    "consent": _("your consent to video visits"),
    "document": _("a document or image in your record"),
    "fhir_bundle": _("a full copy of your record"),
    "fhir_export": _("a full copy of your record"),
    "fhir_appointment": _("your appointments"),
    "fhir_consent": _("the consents you gave"),
    "fhir_documentreference": _("your visit notes and documents"),
    "fhir_encounter": _("your past visits"),
    "fhir_medicationrequest": _("your medicine refill requests"),
    "fhir_observation": _("your home readings"),
    "fhir_patient": _("your name and contact details"),
    "fhir_practitioner": _("the names of your clinicians"),
    "fhir_servicerequest": _("your referrals"),
    "follow_up": _("a follow-up visit proposal"),
    "intake": _("your answers before a visit"),
    "medication_dose": _("a dose of a medicine you take"),
    "medication_schedule": _("your medicine schedules"),
    "patient_record": _("the overview of your record"),
    "readings": _("your home readings"),
    "readings_chart": _("the chart of your home readings"),
    "referral": _("a referral to a specialist"),
    "referral_list": _("a list of referrals that includes yours"),
    "refill_request": _("a medicine refill request"),
    "secure_message": _("a message about a visit"),
    "thresholds": _("the limits for your home readings"),
    "visit": _("a visit"),
    "visit_list": _("your list of visits"),
    "visit_status": _("the waiting-room status of a visit"),
}

_ACTION_FOR_PATIENTS = {
    AuditEvent.Action.READ: _("Looked at %(what)s"),
    AuditEvent.Action.WRITE: _("Added to or changed %(what)s"),
    AuditEvent.Action.DENIED: _("Tried to open %(what)s and was refused"),
    AuditEvent.Action.BREAK_GLASS: _("Opened %(what)s with emergency access"),
    AuditEvent.Action.EXPORT: _("Exported %(what)s"),
}


@dataclass(frozen=True)
class AccessLogEntry:
    at: datetime
    who: str
    what: str
    refused: bool


def _staff_ids(actor_ids: set[int]) -> set[int]:
    staff = [role.value for role in STAFF_ROLES]
    return set(
        User.objects.filter(pk__in=actor_ids)
        .filter(Q(is_superuser=True) | Q(groups__name__in=staff))
        .values_list("pk", flat=True)
    )


def _who(event: AuditEvent, staff_ids: set[int]) -> str:
    if event.via_app:
        if event.actor_id == event.patient_id:
            return _("%(app)s, an app you connected") % {"app": event.via_app}
        return _("%(app)s, an app") % {"app": event.via_app}
    if event.actor is None:
        return _("The system")
    if event.actor_id in staff_ids:
        return event.actor.display_name
    # Another patient (or anyone without a staff role) who tried a URL of this
    # record: their identity is their own health information, never shown here.
    if event.action == AuditEvent.Action.DENIED:
        return _("Someone without access to your record")
    return _("Someone else")


def access_log_for(patient: User, *, limit: int = 200) -> list[AccessLogEntry]:
    """The patient's "Who viewed my record", in plain words, newest first.

    Staff are named; anybody else is not (issue 13: one patient's refused look at
    another's record must not tell the second patient who the first is)."""
    events = list(
        AuditEvent.objects.filter(patient=patient)
        # The patient's own looks are not listed, except through an app they
        # connected: those show which app read or wrote what.
        .exclude(actor=patient, via_app="")
        .select_related("actor")[:limit]
    )
    staff_ids = _staff_ids({event.actor_id for event in events if event.actor_id})
    return [
        AccessLogEntry(
            at=event.at,
            who=_who(event, staff_ids),
            what=_ACTION_FOR_PATIENTS.get(event.action, _("Opened %(what)s"))
            % {"what": _WHAT_FOR_PATIENTS.get(event.what, _("part of your record"))},
            refused=event.action == AuditEvent.Action.DENIED,
        )
        for event in events
    ]


def record_export(*, actor, what: str, patients, request: HttpRequest) -> None:
    """One EXPORT event per patient in an export (one without a patient when the
    export names none), so each patient's access log shows it."""
    distinct = list({patient.pk: patient for patient in patients}.values()) or [None]
    AuditEvent.objects.bulk_create(
        AuditEvent(
            actor=actor,
            action=AuditEvent.Action.EXPORT,
            patient=patient,
            what=what,
            path=request.get_full_path()[:300],
            ip_address=_address(request),
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:200],
        )
        for patient in distinct
    )
