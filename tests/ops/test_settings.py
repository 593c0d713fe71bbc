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


def ed25519_pem() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return (
        Ed25519PrivateKey.generate()
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )


def p256_pem() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    return (
        ec.generate_private_key(ec.SECP256R1())
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )


def rsa_pem() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    return (
        rsa.generate_private_key(public_exponent=65537, key_size=2048)
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )


# Everything production needs, each secret a fresh random one.
PRODUCTION_SECRETS = {
    "EMAIL_URL": "smtp://relay.example.org:587",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "JITSI_APP_ID": "telecampus",
    "JITSI_APP_SECRET": secrets.token_urlsafe(48),
    "JITSI_WEBHOOK_SECRET": secrets.token_urlsafe(48),
    "CERTIFICATES_SIGNING_KEY": ed25519_pem(),
    "WEBPUSH_VAPID_PRIVATE_KEY": p256_pem(),
    "SMART_OIDC_RSA_PRIVATE_KEY": rsa_pem(),
}
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": PRODUCTION_KEY,
    "ALLOWED_HOSTS": "portal.example.org",
    "BASE_URL": "https://portal.example.org",
    **PRODUCTION_SECRETS,
}


def test_production_settings_pass_check_deploy():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("missing", "replacement", "error_id", "words"),
    [
        ("EMAIL_URL", "file:///tmp/telecampus-mail", "ops.E001", "mail server"),
        ("JITSI_APP_SECRET", "", "ops.E002", "Jitsi tokens are not configured"),
        ("JITSI_APP_ID", "", "ops.E002", "Jitsi tokens are not configured"),
        ("JITSI_APP_SECRET", "short", "ops.E003", "can be forged"),
        ("JITSI_WEBHOOK_SECRET", "", "ops.E005", "JITSI_WEBHOOK_SECRET is not set"),
        ("CERTIFICATES_SIGNING_KEY", "", "ops.E006", "CERTIFICATES_SIGNING_KEY"),
        ("CERTIFICATES_SIGNING_KEY", "not a key", "ops.E007", "cannot be used"),
        ("WEBPUSH_VAPID_PRIVATE_KEY", "", "ops.E011", "no push notification"),
        ("WEBPUSH_VAPID_PRIVATE_KEY", ed25519_pem(), "ops.E011", "not a P-256"),
        ("SMART_OIDC_RSA_PRIVATE_KEY", "", "ops.E012", "SMART_OIDC_RSA_PRIVATE_KEY"),
        ("REDIS_URL", "", "ops.E013", "not shared between processes"),
    ],
)
def test_check_deploy_names_each_missing_production_secret(
    missing, replacement, error_id, words
):
    result = manage("check", "--deploy", **{**PRODUCTION, missing: replacement})
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"({error_id}) " in result.stderr and words in result.stderr
    assert result.stderr.count("(ops.E") == 1, result.stderr


def test_check_deploy_lists_every_missing_secret_at_once():
    bare = {k: v for k, v in PRODUCTION.items() if k not in PRODUCTION_SECRETS}
    result = manage("check", "--deploy", **bare, EMAIL_URL="file:///tmp/mail")
    assert result.returncode == 1
    for error_id in (
        "ops.E001",
        "ops.E002",
        "ops.E005",
        "ops.E006",
        "ops.E011",
        "ops.E012",
        "ops.E013",
    ):
        assert f"({error_id})" in result.stderr, result.stderr


def test_development_has_no_production_errors():
    result = manage("check", "--deploy", DEBUG="1")
    assert "(ops.E" not in result.stdout + result.stderr


def readme_production_check() -> str:
    readme = (ROOT / "README.md").read_text()
    start = readme.index("<!-- production-check -->")
    block = readme[start:].split("```sh\n", 1)[1].split("```", 1)[0]
    return block


def test_the_readme_production_check_command_works():
    """The README's production line, run as written (in the project folder)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DATABASE_URL",
            "DEBUG",
            "SECRET_KEY",
            "EMAIL_URL",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
        and not k.startswith(("JITSI_", "CERTIFICATES_", "SMART_"))
    }
    result = subprocess.run(  # noqa: S603 - the README's own command
        ["/bin/bash", "-euo", "pipefail", "-c", readme_production_check()],  # noqa: S607
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("base_url", "error"),
    [
        (None, "ops.E008"),
        ("portal.example.org", "ops.E009"),
        ("https://portal.example.org/visits", "ops.E009"),
    ],
)
def test_production_requires_a_well_formed_base_url(base_url, error):
    env = {k: v for k, v in PRODUCTION.items() if k != "BASE_URL"}
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


def test_behind_the_tls_proxy_throttling_reads_the_clients_address():
    """Without it, every sign-in behind nginx shares the proxy's address."""
    show = "from django.conf import settings as s; print(s.ALLAUTH_TRUSTED_PROXY_COUNT)"
    show += "; print(s.RATELIMIT_IP_META_KEY)"
    result = manage("shell", "-c", show, **PRODUCTION)
    assert result.stdout.strip().splitlines()[-2:] == [
        "1",
        "accounts.client_ip.client_ip",
    ], result.stderr
