"""The one base for refusals: a request the rules do not allow, said in a sentence.

Every app's refusals (VisitsError, CourseRuleError, JoinRefused, IssuingRefused,
BodyRefused, ScimError ...) derive from Refusal, so a reader finds one shape: a
`code` that names the rule (for tests, logs and API bodies), a `message` that is a
full sentence for the person, and the HTTP `status` a view answers with (4xx,
never 500). A subclass sets its own `code` and `status` as class attributes and
may pass others per refusal. Re-exported from accounts.services, the door other
apps use.
"""

from django.http import JsonResponse


class Refusal(Exception):
    """Something the person cannot do; `message` says why in a full sentence."""

    code: str = "refused"
    status: int = 400

    def __init__(
        self, message: str, *, code: str | None = None, status: int | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status


def refusal_json(refusal: Refusal) -> JsonResponse:
    """The answer a JSON endpoint gives for a refusal: {"error": message}, 4xx."""
    return JsonResponse({"error": str(refusal.message)}, status=refusal.status)
