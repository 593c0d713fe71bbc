"""Keeps secrets in URLs and search terms out of the logs.

Some URLs are credentials (a calendar feed's secret, a guest's join link, password
reset and email confirmation keys) and query strings carry what people search for
("/search/?q=chest+pain"). gunicorn's access log and Django's request log both write
request paths, so both go through redact_text:

- gunicorn: gunicorn.conf.py sets logger_class to RedactingGunicornLogger;
- Django: settings.LOGGING puts RedactSecretsFilter on the console handler.
"""

import logging
import re

from gunicorn.glogging import Logger as GunicornLogger

REDACTED = "[redacted]"

# (pattern, replacement): the part of the path that is a secret.
_SECRET_PATHS = [
    (re.compile(r"(/meetings/calendar/)[^/?#\s\"]+(\.ics)"), rf"\g<1>{REDACTED}\g<2>"),
    (re.compile(r"(/meetings/guest/)[^/?#\s\"]+"), rf"\g<1>{REDACTED}"),
    (re.compile(r"(/accounts/password/reset/key/)[^/?#\s\"]+"), rf"\g<1>{REDACTED}"),
    (re.compile(r"(/accounts/confirm-email/)[^/?#\s\"]+"), rf"\g<1>{REDACTED}"),
]
# A query string inside a longer text: "?" followed by key=value pairs.
_QUERY_IN_TEXT = re.compile(r"\?([^\s\"#?]*=[^\s\"#?]*)")


def redact_query_string(query: str) -> str:
    """Keep the names, drop every value: "q=flu&page=2" -> "q=[redacted]&page=..."."""
    if not query:
        return query
    pairs = []
    for pair in query.split("&"):
        name, has_value, _value = pair.partition("=")
        pairs.append(f"{name}={REDACTED}" if has_value else name)
    return "&".join(pairs)


def redact_text(text: str) -> str:
    """A request line, path, URL or log message with its secrets replaced."""
    for pattern, replacement in _SECRET_PATHS:
        text = pattern.sub(replacement, text)
    return _QUERY_IN_TEXT.sub(lambda m: "?" + redact_query_string(m.group(1)), text)


class RedactSecretsFilter(logging.Filter):
    """Django loggers: "Not Found: /meetings/calendar/<secret>.ics" and the like."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_text(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


# Atoms (see gunicorn's access_log_format) that hold a path, URL or query string.
_TEXT_ATOMS = ("r", "U", "f", "{raw_uri}e", "{path_info}e", "{http_referer}e")
_QUERY_ATOMS = ("q", "{query_string}e")


class RedactingGunicornLogger(GunicornLogger):
    """gunicorn's logger with secrets and search terms removed from access lines."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for key in _TEXT_ATOMS:
            if isinstance(atoms.get(key), str):
                atoms[key] = redact_text(atoms[key])
        for key in _QUERY_ATOMS:
            if isinstance(atoms.get(key), str):
                atoms[key] = redact_query_string(atoms[key])
        if isinstance(atoms.get("{referer}i"), str):
            atoms["{referer}i"] = redact_text(atoms["{referer}i"])
        return atoms
