"""courses' write API (one module per step of the learner's path); import from here.

Called by courses' views, management commands, admin reports and demo. It is also
courses' door for other apps (with courses.models): certificates listens to
credit_claimed and prints amounts with format_amount; ops' staff home lists
dashboard_enrolments.
"""

from courses.models.credit import format_amount
from courses.selectors import dashboard_enrolments
from courses.services.consent import update_board_reporting
from courses.services.credit import claim_credit, claim_refusal, live_cap
from courses.services.enrolment import (
    acknowledge_disclosure,
    confirm_code_word,
    enrol,
    has_passed_gate,
)
from courses.services.errors import CourseRuleError
from courses.services.evaluation import evaluation_summary, submit_evaluation
from courses.services.post_test import submit_post_test
from courses.services.progress import open_lecture, report_progress
from courses.signals import credit_claimed

__all__ = [
    "CourseRuleError",
    "acknowledge_disclosure",
    "claim_credit",
    "claim_refusal",
    "confirm_code_word",
    "credit_claimed",
    "dashboard_enrolments",
    "enrol",
    "evaluation_summary",
    "format_amount",
    "has_passed_gate",
    "live_cap",
    "open_lecture",
    "report_progress",
    "submit_evaluation",
    "submit_post_test",
    "update_board_reporting",
]
