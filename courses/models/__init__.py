"""courses' models, split by subject; import them from here."""

from courses.models.credit import (
    CREDIT_RULES,
    ActivityFormat,
    CreditDesignation,
    CreditRule,
    CreditType,
)
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
    "CREDIT_RULES",
    "ActivityFormat",
    "ActivityPage",
    "ActivityPerson",
    "CatalogueIndexPage",
    "CreditClaim",
    "CreditDesignation",
    "CreditRule",
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
