"""The base for refusals visits' services raise; views show `message` (4xx).

A Refusal (accounts.refusals) like every app's refusals; visits' views answer
409 unless they say otherwise, the state of the visit being what refused.
"""

from accounts.services import Refusal


class VisitsError(Refusal):
    """Something the person cannot do now; `message` says why in a full sentence."""

    code = "visits"
    status = 409
