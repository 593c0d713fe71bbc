"""The migrated SQLite test database, built once and kept between runs.

Creating the test database runs every migration (about 330, most of them Wagtail's):
some 20 s of CPU in each pytest process, twice under `make test`'s two workers, more
than the rest of a typical test module. Here the first process to need it runs the
migrations as usual and saves the result under .pytest_cache; later processes load
that file into their in-memory test database with SQLite's backup API, as Django's
own parallel runner clones its databases.

The file is keyed by everything migrate reads: every app's migration files, the
model tables of apps without migrations, the settings, and the Django and SQLite
versions. A changed migration or setting builds a new file. post_migrate still fires
after a load, so the groups, permissions, locales, workflow and schedules our apps
sync after every migrate follow the code, not the saved file.

`pytest --cache-clear` throws the file away.
"""

import contextlib
import fcntl
import hashlib
import sqlite3
from importlib import import_module
from pathlib import Path

import django
import django.core.management
from django.apps import apps
from django.conf import settings
from django.core.management.sql import emit_post_migrate_signal
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.loader import MigrationLoader

_REAL_CALL_COMMAND = django.core.management.call_command


def _fingerprint() -> str:
    digest = hashlib.sha256()
    digest.update(f"{django.get_version()} {sqlite3.sqlite_version}\n".encode())
    connection = connections[DEFAULT_DB_ALIAS]
    for app in apps.get_app_configs():
        module_name, _explicit = MigrationLoader.migrations_module(app.label)
        try:
            package = import_module(module_name) if module_name else None
        except ModuleNotFoundError:
            package = None
        digest.update(f"app {app.label}\n".encode())
        if package is not None and getattr(package, "__path__", None):
            for root in package.__path__:
                for path in sorted(Path(root).rglob("*")):
                    if path.is_file() and "__pycache__" not in path.parts:
                        digest.update(f"{path.relative_to(root)}\n".encode())
                        digest.update(path.read_bytes())
        else:
            # No migrations: migrate's run_syncdb makes these tables from the models.
            for model in app.get_models():
                columns = [
                    (field.column, field.db_type(connection))
                    for field in model._meta.local_fields
                ] + [field.m2m_db_table() for field in model._meta.local_many_to_many]
                digest.update(f"{model._meta.db_table} {columns}\n".encode())
    for name in sorted(dir(settings)):
        if not name.isupper():
            continue
        value = getattr(settings, name)
        if name == "DATABASES":
            value = {alias: db["ENGINE"] for alias, db in value.items()}
        text = _stable_repr(value)
        if " at 0x" not in text:  # an object's address changes with every process
            digest.update(f"{name}={text}\n".encode())
    return digest.hexdigest()[:16]


def _stable_repr(value) -> str:
    """repr() with sets in sorted order (theirs changes with every process)."""
    if isinstance(value, dict):
        items = (f"{_stable_repr(k)}: {_stable_repr(v)}" for k, v in value.items())
        return "{" + ", ".join(sorted(items)) + "}"
    if isinstance(value, (set, frozenset)):
        return "{" + ", ".join(sorted(_stable_repr(item) for item in value)) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_stable_repr(item) for item in value) + "]"
    return repr(value)


class _MigrateFromFile:
    """Stands in for call_command during the test database's creation: its one
    "migrate" loads the saved database, or runs and then saves the real one."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def __call__(self, command_name, *args, **options):
        if command_name != "migrate":
            return _REAL_CALL_COMMAND(command_name, *args, **options)
        # One migrate only: the test database's, whatever happens.
        stop()
        alias = options.get("database", DEFAULT_DB_ALIAS)
        connection = connections[alias]
        if connection.vendor != "sqlite" or alias != DEFAULT_DB_ALIAS:
            return _REAL_CALL_COMMAND(command_name, *args, **options)
        saved = self.directory / f"{_fingerprint()}.sqlite3"
        self.directory.mkdir(parents=True, exist_ok=True)
        # Two workers starting together: one migrates, the other waits and loads.
        with open(self.directory / "lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if saved.exists():
                self._load(saved, connection, options)
                return None
            result = _REAL_CALL_COMMAND(command_name, *args, **options)
            self._save(saved, connection)
            return result

    @staticmethod
    def _load(saved: Path, connection, options) -> None:
        connection.ensure_connection()
        with contextlib.closing(
            sqlite3.connect(f"file:{saved}?mode=ro", uri=True)
        ) as source:
            source.backup(connection.connection)
        emit_post_migrate_signal(
            verbosity=options.get("verbosity", 0),
            interactive=False,
            db=connection.alias,
        )

    @staticmethod
    def _save(saved: Path, connection) -> None:
        partial = saved.with_suffix(".partial")
        with contextlib.closing(sqlite3.connect(partial)) as target:
            connection.connection.backup(target)
        partial.replace(saved)
        for older in saved.parent.glob("*.sqlite3"):
            if older != saved:
                older.unlink()


def start(directory: Path) -> None:
    """Until stop(), the test database's creation migrates from the saved file."""
    django.core.management.call_command = _MigrateFromFile(directory)


def stop() -> None:
    django.core.management.call_command = _REAL_CALL_COMMAND
