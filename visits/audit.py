"""Writes the append-only PHI audit trail: who, what, when, from where.

Called by visits.access (every allowed or refused look at PHI) and by services
run outside a request (the FHIR export command).
"""

from django.http import HttpRequest

from visits.models import AuditEvent


def client_ip(request: HttpRequest | None) -> str | None:
    # REMOTE_ADDR is the only address we can trust; a proxy in front must set it.
    return request.META.get("REMOTE_ADDR") or None if request else None


def record_reads(*, actor, what: str, patients, request: HttpRequest) -> None:
    """One READ event per patient shown on a listing page, in one insert."""
    AuditEvent.objects.bulk_create(
        AuditEvent(
            actor=actor,
            action=AuditEvent.Action.READ,
            patient=patient,
            what=what,
            path=request.get_full_path()[:300],
            ip_address=client_ip(request),
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
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        patient=patient,
        what=what,
        object_uuid=object_uuid,
        path=(request.get_full_path() if request else path)[:300],
        ip_address=client_ip(request),
        user_agent=(request.META.get("HTTP_USER_AGENT", "") if request else "")[:200],
    )


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
            ip_address=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:200],
        )
        for patient in distinct
    )
