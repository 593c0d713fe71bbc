"""What leaving closes in visits, and the clinical work a leaver leaves open.

Called by accounts.leaving.deactivate_person through the person_deactivated
signal (connected in VisitsConfig.ready), inside its transaction. Referral shares
made to the person end now; their own break-glass grants and ongoing care
relationships end too. Booked visits, unsigned notes and unacknowledged alerts
of their patients are listed for reassignment by reference and date, never by
patient. Every step is written to the PHI audit log.
"""

from datetime import datetime

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from accounts.services import ClosedDoor, LeavingSteps, OpenWork
from visits.audit import record_event
from visits.models import (
    Alert,
    AuditEvent,
    BreakGlassGrant,
    CareRelationship,
    ClinicalNote,
    Referral,
    Visit,
)
from visits.services.apps import revoke_every_app_token

LEAVING_PATH = "leaving"


def _audit(*, actor, action: str, what: str, patient, object_uuid) -> None:
    record_event(
        actor=actor,
        action=action,
        what=what,
        patient=patient,
        object_uuid=object_uuid,
        path=LEAVING_PATH,
    )


def close_visit_doors(
    *, person: User, actor: User | None, now: datetime
) -> LeavingSteps:
    shares = list(
        Referral.objects.filter(specialist=person, expires_at__gt=now).select_related(
            "patient"
        )
    )
    for referral in shares:
        referral.expires_at = now
        referral.save(update_fields=["expires_at"])
        _audit(
            actor=actor,
            action=AuditEvent.Action.WRITE,
            what="referral",
            patient=referral.patient,
            object_uuid=referral.uuid,
        )
    grants = list(BreakGlassGrant.objects.filter(user=person, expires_at__gt=now))
    for grant in grants:
        grant.expires_at = now
        grant.save(update_fields=["expires_at"])
        _audit(
            actor=actor,
            action=AuditEvent.Action.WRITE,
            what="break_glass_grant",
            patient=grant.patient,
            object_uuid=grant.uuid,
        )
    # Their care links end: the alerts of those patients are listed below for
    # whoever takes them over (the list is built before the links end).
    open_work = _open_work(person=person, actor=actor, now=now)
    links = list(
        CareRelationship.objects.filter(clinician=person, ended_at__isnull=True)
    )
    for link in links:
        link.ended_at = now
        link.save(update_fields=["ended_at"])
        _audit(
            actor=actor,
            action=AuditEvent.Action.WRITE,
            what="care_relationship",
            patient=link.patient,
            object_uuid=None,
        )
    # Apps the person connected to their record (SMART on FHIR) lose every token.
    app_tokens = revoke_every_app_token(person)
    return LeavingSteps(
        doors=[
            ClosedDoor.counted(
                "api_tokens",
                app_tokens,
                ngettext(
                    "%(count)d app token revoked.",
                    "%(count)d app tokens revoked.",
                    app_tokens,
                ),
            ),
            ClosedDoor.counted(
                "care_relationships",
                len(links),
                ngettext(
                    "%(count)d ongoing care relationship ended.",
                    "%(count)d ongoing care relationships ended.",
                    len(links),
                ),
                audited_in="visits",
            ),
            ClosedDoor.counted(
                "referral_shares",
                len(shares),
                ngettext(
                    "%(count)d referral share made to them ended.",
                    "%(count)d referral shares made to them ended.",
                    len(shares),
                ),
                audited_in="visits",
            ),
            ClosedDoor.counted(
                "break_glass",
                len(grants),
                ngettext(
                    "%(count)d emergency access grant ended.",
                    "%(count)d emergency access grants ended.",
                    len(grants),
                ),
                audited_in="visits",
            ),
        ],
        open_work=open_work,
    )


def _open_work(*, person: User, actor: User | None, now: datetime) -> list[OpenWork]:
    work = []
    booked = (
        Visit.objects.filter(clinician=person, status__in=Visit.ACTIVE_STATUSES)
        .filter(end__gt=now)
        .select_related("patient")
        .order_by("start")
    )
    for visit in booked:
        _audit(
            actor=actor,
            action=AuditEvent.Action.READ,
            what="visit",
            patient=visit.patient,
            object_uuid=visit.uuid,
        )
        work.append(
            OpenWork(
                kind="booked_visit",
                reference=str(visit.uuid),
                summary=_("Booked visit that needs another clinician"),
                when=visit.start.isoformat(),
            )
        )
    notes = (
        ClinicalNote.objects.filter(visit__clinician=person, signed_at__isnull=True)
        .select_related("visit__patient")
        .order_by("visit__start")
    )
    for note in notes:
        _audit(
            actor=actor,
            action=AuditEvent.Action.READ,
            what="clinical_note",
            patient=note.visit.patient,
            object_uuid=note.uuid,
        )
        work.append(
            OpenWork(
                kind="unsigned_note",
                reference=str(note.visit.uuid),
                summary=_("Unsigned note of the visit"),
                when=note.visit.start.isoformat(),
            )
        )
    their_patients = CareRelationship.objects.filter(
        clinician=person, ended_at__isnull=True
    ).values("patient")
    alerts = (
        Alert.objects.filter(status=Alert.Status.OPEN, patient__in=their_patients)
        .select_related("patient")
        .order_by("created_at")
    )
    for alert in alerts:
        _audit(
            actor=actor,
            action=AuditEvent.Action.READ,
            what="alert",
            patient=alert.patient,
            object_uuid=alert.uuid,
        )
        work.append(
            OpenWork(
                kind="open_alert",
                reference=str(alert.uuid),
                summary=_("Unacknowledged readings alert"),
                when=alert.created_at.isoformat(),
            )
        )
    return work
