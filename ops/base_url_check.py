"""A system check: in production BASE_URL must name the portal's public address.

Every link we send (mail, calendar files, certificate PDFs and their QR codes) is
BASE_URL plus a path, so a missing or malformed value sends dead links. Development
derives it from PORT (config/settings.py); production must set it.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error


def check_base_url(app_configs=None, **kwargs) -> list[Error]:
    if settings.DEBUG:
        return []
    value = settings.BASE_URL
    if not value:
        return [
            Error(
                "BASE_URL is not set.",
                hint="Set BASE_URL to the portal's public address, for example "
                "https://portal.example.org, when DEBUG is off.",
                id="ops.E001",
            )
        ]
    parts = urlsplit(value)
    if (
        parts.scheme not in {"http", "https"}
        or not parts.hostname
        or parts.path not in {"", "/"}
        or parts.query
        or parts.fragment
    ):
        return [
            Error(
                f"BASE_URL {value!r} is not an address like https://portal.example.org.",
                hint="Give the scheme and host (and port if any), without a path.",
                id="ops.E002",
            )
        ]
    return []
