"""PHQ-9 and GAD-7: the items, the answer scale, scoring and severity bands.

Both ask "Over the last 2 weeks, how often have you been bothered by the
following problems?" and score each item 0-3.
"""

from django.utils.translation import gettext_lazy as _

SCALE = [
    (0, _("Not at all")),
    (1, _("Several days")),
    (2, _("More than half the days")),
    (3, _("Nearly every day")),
]

PHQ9_ITEMS = [
    _("Little interest or pleasure in doing things"),
    _("Feeling down, depressed, or hopeless"),
    _("Trouble falling or staying asleep, or sleeping too much"),
    _("Feeling tired or having little energy"),
    _("Poor appetite or overeating"),
    _(
        "Feeling bad about yourself, or that you are a failure or have let "
        "yourself or your family down"
    ),
    _(
        "Trouble concentrating on things, such as reading the newspaper or "
        "watching television"
    ),
    _(
        "Moving or speaking so slowly that other people could have noticed, or "
        "the opposite: being so fidgety or restless that you have been moving "
        "around a lot more than usual"
    ),
    _("Thoughts that you would be better off dead, or of hurting yourself"),
]

GAD7_ITEMS = [
    _("Feeling nervous, anxious, or on edge"),
    _("Not being able to stop or control worrying"),
    _("Worrying too much about different things"),
    _("Trouble relaxing"),
    _("Being so restless that it is hard to sit still"),
    _("Becoming easily annoyed or irritable"),
    _("Feeling afraid, as if something awful might happen"),
]

QUESTIONNAIRES = {"phq9": PHQ9_ITEMS, "gad7": GAD7_ITEMS}

_BANDS = {
    "phq9": [(4, "minimal"), (9, "mild"), (14, "moderate"), (19, "moderately severe")],
    "gad7": [(4, "minimal"), (9, "mild"), (14, "moderate")],
}


def questionnaires_for(code: str) -> list[str]:
    """The questionnaire keys a visit type asks ("phq9_gad7" asks both)."""
    return [key for key in ("phq9", "gad7") if key in code]


def severity(key: str, score: int) -> str:
    for upper, label in _BANDS[key]:
        if score <= upper:
            return label
    return "severe"
