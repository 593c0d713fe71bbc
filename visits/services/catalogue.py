"""The standard visit types and the telehealth consent, created idempotently.

Called after migrate (visits.apps) and by demo.py and tests.
"""

from django.db import transaction
from django.utils import timezone

from visits.models import ConsentDocument, VisitType

_GENERAL_CONSENT = (
    "I agree to receive care by video. I understand that a video visit has limits: "
    "the clinician cannot examine me in person and may ask me to be seen in person. "
    "The visit is not recorded. In an emergency I will call 911 or go to the nearest "
    "emergency room."
)

STANDARD_VISIT_TYPES = [
    {
        "code": "wellness",
        "name": "Wellness check-up",
        "duration_minutes": 30,
        "intake_questions": [
            {"key": "concerns", "text": "What would you like to talk about?"},
            {"key": "medications", "text": "Which medicines do you take now?"},
        ],
        "eligibility_notes": "For adults without new or worsening symptoms.",
    },
    {
        "code": "eye-exam",
        "name": "Eye exam (screening)",
        "duration_minutes": 20,
        "intake_questions": [
            {"key": "vision", "text": "Has your vision changed recently?"},
            {"key": "glasses", "text": "Do you wear glasses or contact lenses?"},
        ],
        "eligibility_notes": (
            "Sudden vision loss, eye injury or severe eye pain need an emergency "
            "room, not a video visit."
        ),
    },
    {
        "code": "medication-refill",
        "name": "Medication refill",
        "duration_minutes": 15,
        "intake_questions": [
            {"key": "medication", "text": "Which medicine needs a refill?"},
            {"key": "side_effects", "text": "Any side effects since the last dose?"},
        ],
        "eligibility_notes": "Controlled substances cannot be refilled by video.",
    },
    {
        "code": "nutrition",
        "name": "Nutrition counselling",
        "duration_minutes": 45,
        "intake_questions": [
            {"key": "goals", "text": "What are your goals for eating and weight?"},
            {"key": "diet", "text": "Describe a usual day of meals."},
        ],
        "eligibility_notes": "Suitable for anyone; bring a recent weight if you can.",
    },
    {
        "code": "urgent-care",
        "name": "Urgent care (rash, back pain, urinary tract infection)",
        "duration_minutes": 20,
        "intake_questions": [
            {
                "key": "symptoms",
                "text": "What are your symptoms and when did they start?",
            },
            {"key": "fever", "text": "Do you have a fever? How high?"},
        ],
        "eligibility_notes": (
            "Go to the emergency room instead if you have chest pain, trouble "
            "breathing, back pain with loss of bladder or bowel control or leg "
            "weakness, a rash with high fever or that spreads fast, or urinary "
            "symptoms with high fever, vomiting or flank pain, or if you are pregnant."
        ),
    },
    {
        "code": "mental-health",
        "name": "Mental-health counselling",
        "duration_minutes": 50,
        "questionnaire": VisitType.Questionnaire.PHQ9_GAD7,
        "intake_questions": [
            {"key": "reason", "text": "What brings you to counselling now?"},
        ],
        "eligibility_notes": (
            "If you are thinking about harming yourself, call or text 988 or go to "
            "the nearest emergency room now: a scheduled video visit is not fast "
            "enough."
        ),
    },
    {
        "code": "monitoring-review",
        "name": "Remote-monitoring review",
        "duration_minutes": 20,
        "intake_questions": [
            {"key": "readings", "text": "How have your home readings been?"},
        ],
        "eligibility_notes": "For patients who send home blood-pressure readings.",
    },
]


@transaction.atomic
def ensure_standard_catalogue() -> list[VisitType]:
    """Create the standard visit types and consent version 1 if they are missing."""
    types = []
    for spec in STANDARD_VISIT_TYPES:
        defaults = {
            "questionnaire": "",
            "consent_text": _GENERAL_CONSENT,
            **{key: value for key, value in spec.items() if key != "code"},
        }
        visit_type, _ = VisitType.objects.get_or_create(
            code=spec["code"], defaults=defaults
        )
        types.append(visit_type)
    if not ConsentDocument.objects.exists():
        ConsentDocument.objects.create(
            version=1, text=_GENERAL_CONSENT, published_at=timezone.now()
        )
    return types


@transaction.atomic
def publish_consent(*, text: str) -> ConsentDocument:
    """A new consent version: every patient is asked again before their next join."""
    latest = ConsentDocument.objects.order_by("-version").first()
    return ConsentDocument.objects.create(
        version=(latest.version + 1) if latest else 1,
        text=text,
        published_at=timezone.now(),
    )
