"""Start-up configuration: run manage.py in a subprocess with a crafted environment."""

import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_KEY = "".join(
    secrets.choice(string.ascii_letters + string.digits) for _ in range(50)
)


def manage(*args, **env):
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_the_development_key_with_one_line():
    result = manage("check", DEBUG="0", ALLOWED_HOSTS="portal.example.org")
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "SECRET_KEY" in lines[0]


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"DATABASE_URL": "nonsense"}, "DATABASE_URL"),
        ({"DATABASE_URL": "mysql://db/x"}, "DATABASE_URL"),
        ({"DEBUG": "maybe"}, "DEBUG"),
        ({"Q_WORKERS": "many"}, "Q_WORKERS"),
        ({"EMAIL_URL": "pigeon://coop"}, "EMAIL_URL"),
        ({"TIME_ZONE": "Moon/Base"}, "TIME_ZONE"),
    ],
)
def test_malformed_variables_stop_start_up_naming_the_variable(env, variable):
    result = manage("check", **env)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert variable in lines[0]


def test_production_settings_pass_check_deploy():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY=PRODUCTION_KEY,
        ALLOWED_HOSTS="portal.example.org",
        BASE_URL="https://portal.example.org",
        EMAIL_URL="smtp://relay.example.org:587",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("base_url", "error"),
    [
        (None, "ops.E001"),
        ("portal.example.org", "ops.E002"),
        ("https://portal.example.org/visits", "ops.E002"),
    ],
)
def test_production_requires_a_well_formed_base_url(base_url, error):
    env = {
        "DEBUG": "0",
        "SECRET_KEY": PRODUCTION_KEY,
        "ALLOWED_HOSTS": "portal.example.org",
        "EMAIL_URL": "smtp://relay.example.org:587",
    }
    if base_url is not None:
        env["BASE_URL"] = base_url
    result = manage("check", **env)
    assert result.returncode != 0
    assert error in result.stderr


def test_development_links_follow_the_port():
    result = manage(
        "shell", "-c", "from django.conf import settings; print(settings.BASE_URL)",
        PORT="8113",
    )  # fmt: skip
    assert result.stdout.strip().splitlines()[-1] == "http://127.0.0.1:8113"


def test_production_refuses_console_mail_with_one_line():
    """Console mail would print reset links and visit notices into the logs."""
    result = manage(
        "check",
        DEBUG="0",
        SECRET_KEY=PRODUCTION_KEY,
        ALLOWED_HOSTS="portal.example.org",
        EMAIL_URL="console://",
    )
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "EMAIL_URL" in lines[0], result.stderr


def test_start_up_errors_do_not_print_passwords():
    result = manage("check", EMAIL_URL="smtp://mailer:s3cret-pw@:587")
    assert result.returncode != 0
    assert "EMAIL_URL" in result.stderr
    assert "s3cret-pw" not in result.stderr
    assert "mailer:***@" in result.stderr
