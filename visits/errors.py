"""The one base for refusals visits' services raise; views show `message` (4xx)."""


class VisitsError(Exception):
    """Something the person cannot do now; `message` says why in a full sentence."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
