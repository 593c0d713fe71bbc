"""Visits' models: every table that holds protected health information lives here."""

from visits.models.audit import AuditEvent
from visits.models.catalogue import ConsentDocument, VisitType
from visits.models.medication import Dose, MedicationSchedule
from visits.models.monitoring import Alert, Reading, Threshold
from visits.models.patient import PatientProfile
from visits.models.record import (
    Addendum,
    ClinicalNote,
    FollowUpProposal,
    RefillRequest,
    SecureMessage,
)
from visits.models.scheduling import ClinicianProfile, ScheduleException, WeeklyHours
from visits.models.sharing import BreakGlassGrant, CareRelationship, Document, Referral
from visits.models.visit import ConsentAcceptance, Visit

__all__ = [
    "Addendum",
    "Alert",
    "AuditEvent",
    "BreakGlassGrant",
    "CareRelationship",
    "ClinicalNote",
    "ClinicianProfile",
    "ConsentAcceptance",
    "ConsentDocument",
    "Document",
    "Dose",
    "FollowUpProposal",
    "MedicationSchedule",
    "PatientProfile",
    "Reading",
    "Referral",
    "RefillRequest",
    "ScheduleException",
    "SecureMessage",
    "Threshold",
    "Visit",
    "VisitType",
    "WeeklyHours",
]
