"""Secrets in URLs and search terms never reach the logs (gunicorn and Django)."""

import http.client
import logging
import os
import socket
import subprocess
import time
from pathlib import Path

import pytest

from config.log_redaction import RedactSecretsFilter, redact_text

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
FEED_SECRET = "Zq8vTnY3kLw0pRs5uXc2"
SEARCH = "chest+pain+at+night"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(port: int, path: str) -> None:
    deadline = time.monotonic() + 90
    while True:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("GET", path, headers={"Referer": f"/search/?q={SEARCH}"})
            conn.getresponse().read()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def test_gunicorn_access_log_redacts_feed_secrets_and_search_terms(tmp_path):
    """The Procfile's gunicorn, started the same way, with a combined-format log."""
    port = free_port()
    access_log = tmp_path / "access.log"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["VAR_DIR"] = str(tmp_path)
    server = subprocess.Popen(  # noqa: S603 - our own server on loopback
        [
            GUNICORN,
            "config.wsgi",
            "--config",
            "gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--access-logfile",
            str(access_log),
            "--access-logformat",
            '%(h)s "%(r)s" %(s)s "%(f)s" %(U)s %(q)s',
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        get(port, f"/meetings/calendar/{FEED_SECRET}.ics")
        get(port, f"/search/?q={SEARCH}")
        get(port, "/meetings/guest/signed.token-value/")
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0].decode()
    lines = access_log.read_text()
    assert "/meetings/calendar/[redacted].ics" in lines
    assert "/search/?q=[redacted]" in lines
    assert "/meetings/guest/[redacted]/" in lines
    for secret in (FEED_SECRET, "chest", "signed.token-value"):
        assert secret not in lines, lines
        assert secret not in output, output


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Not Found: /meetings/calendar/abc123.ics",
            "Not Found: /meetings/calendar/[redacted].ics",
        ),
        (
            "GET /accounts/password/reset/key/3-abc-def/ HTTP/1.1",
            "GET /accounts/password/reset/key/[redacted]/ HTTP/1.1",
        ),
        ("/accounts/confirm-email/MTI:1abc/", "/accounts/confirm-email/[redacted]/"),
        ("/es/search/?q=diabetes&page=2", "/es/search/?q=[redacted]&page=[redacted]"),
        ("Is it working?", "Is it working?"),
    ],
)
def test_redact_text(text, expected):
    assert redact_text(text) == expected


def test_django_request_log_lines_are_redacted():
    record = logging.LogRecord(
        "django.request",
        logging.WARNING,
        __file__,
        1,
        "%s: %s",
        ("Not Found", f"/meetings/calendar/{FEED_SECRET}.ics"),
        None,
    )
    assert RedactSecretsFilter().filter(record)
    assert FEED_SECRET not in record.getMessage()
    assert record.getMessage() == "Not Found: /meetings/calendar/[redacted].ics"


def test_the_console_handler_carries_the_filter(settings):
    assert settings.LOGGING["handlers"]["console"]["filters"] == ["redact"]
