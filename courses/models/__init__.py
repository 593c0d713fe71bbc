"""courses' models, split by subject; import them from here."""

from courses.models.credit import ActivityFormat, CreditDesignation, CreditType
from courses.models.learning import (
    CreditClaim,
    DisclosureAcknowledgement,
    Enrolment,
    Evaluation,
    LectureProgress,
    PostTestAttempt,
)
from courses.models.pages import (
    ActivityPage,
    ActivityPerson,
    CatalogueIndexPage,
    LecturePage,
    RevealAnswers,
)
from courses.models.people import FinancialRelationship, Person

__all__ = [
    "ActivityFormat",
    "ActivityPage",
    "ActivityPerson",
    "CatalogueIndexPage",
    "CreditClaim",
    "CreditDesignation",
    "CreditType",
    "DisclosureAcknowledgement",
    "Enrolment",
    "Evaluation",
    "FinancialRelationship",
    "LecturePage",
    "LectureProgress",
    "Person",
    "PostTestAttempt",
    "RevealAnswers",
]
