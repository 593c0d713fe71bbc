"""The access policy for PHI. Every visits view asks it before showing anything.

- A patient sees their own record.
- A clinician sees patients they have a visit or an open care relationship with.
- A specialist sees only the items a referral shared with them, until it expires.
- A clinician may open any record in an emergency (break-glass): a reason, a
  time box, and an auditor reviews it afterwards.
- Everyone else gets 404, and the refused attempt is audited like every read.
"""

from enum import StrEnum

from django.db.models import Q
from django.http import Http404, HttpRequest
from django.utils import timezone

from accounts.models import User
from accounts.services import ROLE_PERMISSIONS
from visits.audit import record_event
from visits.models import (
    AuditEvent,
    BreakGlassGrant,
    CareRelationship,
    ClinicalNote,
    Document,
    Referral,
    Visit,
)


class Relation(StrEnum):
    SELF = "self"
    CARE = "care"
    BREAK_GLASS = "break_glass"
    REFERRAL = "referral"


# What each kind of page accepts; views pick one.
PATIENT_ONLY = frozenset({Relation.SELF})
CARE_TEAM = frozenset({Relation.CARE, Relation.BREAK_GLASS})
# Acts that outlive an emergency (sharing with a specialist) need a real care link.
CARE_ONLY = frozenset({Relation.CARE})
PATIENT_AND_CARE = PATIENT_ONLY | CARE_TEAM


def role_allows(user, permission: str) -> bool:
    """A permission from the person's roles only: being a superuser opens no PHI."""
    return user.is_authenticated and any(
        permission in ROLE_PERMISSIONS.get(role, ()) for role in user.role_names
    )


def is_care_provider(user) -> bool:
    return role_allows(user, "visits.provide_care")


def relation_to(user, patient, *, now=None) -> Relation | None:
    """How this person may see this patient's record (specialist shares aside)."""
    now = now or timezone.now()
    if not user.is_authenticated:
        return None
    if user.pk == patient.pk:
        return Relation.SELF
    if not is_care_provider(user):
        return None
    has_care = (
        Visit.objects.filter(clinician=user, patient=patient).exists()
        or CareRelationship.objects.filter(
            clinician=user, patient=patient, ended_at__isnull=True
        ).exists()
    )
    if has_care:
        return Relation.CARE
    if BreakGlassGrant.objects.filter(
        user=user, patient=patient, expires_at__gt=now
    ).exists():
        return Relation.BREAK_GLASS
    return None


def active_referrals(user, *, now=None):
    now = now or timezone.now()
    return Referral.objects.filter(specialist=user, expires_at__gt=now)


def shared_with(user, obj, *, now=None) -> bool:
    """Whether an unexpired referral to this person shares exactly this item."""
    if not role_allows(user, "visits.receive_referrals"):
        return False
    referrals = active_referrals(user, now=now)
    if isinstance(obj, Referral):
        return referrals.filter(pk=obj.pk).exists()
    if isinstance(obj, ClinicalNote):
        return referrals.filter(shared_notes=obj).exists()
    if isinstance(obj, Document):
        return referrals.filter(shared_documents=obj).exists()
    return False


def authorize(
    request: HttpRequest,
    *,
    patient,
    what: str,
    accept: frozenset[Relation] = PATIENT_AND_CARE,
    obj=None,
    write: bool = False,
) -> Relation:
    """Allow and audit, or audit the refusal and raise Http404."""
    user = request.user
    relation = relation_to(user, patient)
    if relation not in accept and obj is not None and shared_with(user, obj):
        relation = Relation.REFERRAL
    allowed = relation in accept or relation == Relation.REFERRAL
    if not allowed:
        record_event(
            actor=user,
            action=AuditEvent.Action.DENIED,
            what=what,
            patient=patient,
            object_uuid=getattr(obj, "uuid", None),
            request=request,
        )
        raise Http404
    if relation == Relation.BREAK_GLASS:
        action = AuditEvent.Action.BREAK_GLASS
    else:
        action = AuditEvent.Action.WRITE if write else AuditEvent.Action.READ
    record_event(
        actor=user,
        action=action,
        what=what,
        patient=patient,
        object_uuid=getattr(obj, "uuid", None),
        request=request,
    )
    return relation


def refuse(request: HttpRequest, *, what: str, patient=None) -> Http404:
    """Audit a refused look at something that does not exist or is not theirs."""
    record_event(
        actor=request.user,
        action=AuditEvent.Action.DENIED,
        what=what,
        patient=patient,
        request=request,
    )
    return Http404()


def visible_patients(user, *, now=None):
    """Patients this clinician may list (visits, care links, live break-glass)."""
    now = now or timezone.now()
    return User.objects.filter(
        Q(visits_as_patient__clinician=user)
        | Q(
            pk__in=CareRelationship.objects.filter(
                clinician=user, ended_at__isnull=True
            ).values("patient")
        )
        | Q(
            pk__in=BreakGlassGrant.objects.filter(user=user, expires_at__gt=now).values(
                "patient"
            )
        )
    ).distinct()
