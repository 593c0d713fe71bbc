"""The one exception courses' services raise when a learner's request breaks a rule."""

from accounts.services import Refusal


class CourseRuleError(Refusal):
    """A rule refused the request; `message` is a full sentence for the learner.

    `code` names the rule (tests and views use it), `status` is the HTTP status a
    view should answer with.
    """

    def __init__(self, code: str, message: str, *, status: int = 400):
        super().__init__(message, code=code, status=status)
