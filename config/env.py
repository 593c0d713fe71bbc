"""Strict readers for environment variables.

Every helper fails loudly, with one line naming the variable, instead of
silently falling back when a value is malformed (healthchecks does the same).
"""

import os
import zoneinfo
from urllib.parse import unquote, urlsplit

import dj_database_url


class ConfigError(SystemExit):
    """Stops start-up with a one-line message (SystemExit prints no traceback)."""

    def __init__(self, variable: str, problem: str) -> None:
        super().__init__(f"Configuration error: {variable} {problem}")


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigError(
        name, f"must be one of 1/0, true/false, yes/no, on/off; got {raw!r}."
    )


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(name, f"must be a whole number; got {raw!r}.") from None
    if minimum is not None and value < minimum:
        raise ConfigError(name, f"must be at least {minimum}; got {value}.")
    return value


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_timezone(name: str, default: str) -> str:
    value = os.environ.get(name, default)
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            name, f"must be an IANA time zone such as Europe/Paris; got {value!r}."
        ) from None
    return value


def _shown(raw: str) -> str:
    """A URL for an error message, without its password: start-up errors end up
    in logs."""
    parts = urlsplit(raw)
    if parts.password is None:
        return repr(raw)
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return repr(parts._replace(netloc=netloc).geturl())


def env_database(name: str, default: str) -> dict:
    raw = os.environ.get(name) or default
    scheme = urlsplit(raw).scheme
    if scheme not in {"sqlite", "postgres", "postgresql", "pgsql"}:
        raise ConfigError(
            name,
            "must look like postgres://user@host:5432/dbname "
            "or sqlite:///path/db.sqlite3; "
            f"got {_shown(raw)}.",
        )
    try:
        config = dj_database_url.parse(raw, conn_max_age=60, conn_health_checks=True)
    except ValueError as exc:
        raise ConfigError(name, f"could not be parsed ({exc}).") from None
    if scheme != "sqlite" and not config.get("NAME"):
        raise ConfigError(
            name, "must name a database, e.g. postgres://user@host:5432/telecampus."
        )
    return config


def env_email(name: str, default: str, base_dir) -> dict:
    """Turn EMAIL_URL into Django email settings.

    smtp://user:password@host:587 (STARTTLS), smtps://... (implicit TLS),
    console://, locmem://, file://var/mail (relative to the project).
    """
    raw = os.environ.get(name) or default
    parts = urlsplit(raw)
    if parts.scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parts.scheme == "locmem":
        return {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if parts.scheme == "file":
        path = (parts.netloc + parts.path) or "var/mail"
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(base_dir / path)
            if not path.startswith("/")
            else path,
        }
    if parts.scheme in {"smtp", "smtps"}:
        if not parts.hostname:
            raise ConfigError(name, f"must name a mail server host; got {_shown(raw)}.")
        try:
            port = parts.port or (465 if parts.scheme == "smtps" else 587)
        except ValueError:
            raise ConfigError(
                name, f"has an invalid port; got {_shown(raw)}."
            ) from None
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": parts.hostname,
            "EMAIL_PORT": port,
            "EMAIL_HOST_USER": unquote(parts.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
            "EMAIL_USE_TLS": parts.scheme == "smtp" and port != 25,
            "EMAIL_USE_SSL": parts.scheme == "smtps",
            "EMAIL_TIMEOUT": 10,
        }
    raise ConfigError(
        name,
        "must start with smtp://, smtps://, console://, locmem:// or file://; "
        f"got {_shown(raw)}.",
    )


def env_redis(name: str) -> str:
    raw = os.environ.get(name, "")
    if raw and urlsplit(raw).scheme not in {"redis", "rediss", "unix"}:
        raise ConfigError(
            name, f"must look like redis://127.0.0.1:6379/0; got {_shown(raw)}."
        )
    return raw
