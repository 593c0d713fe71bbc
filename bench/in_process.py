"""Start Django inside a bench script, on a scratch database in a temporary folder.

For benches that call services or the test client in-process (no server). The
database is SQLite in the folder unless the script lets BENCH_DATABASE_URL choose;
when run_all.py --quick has migrated one scratch database already, it starts from
a copy of it. Returns the folder, which the script may delete at the end.
"""

import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def start_django(
    prefix: str, *, database_from_env: bool = True, **environment: str
) -> str:
    sys.path.insert(0, str(ROOT))
    folder = tempfile.mkdtemp(prefix=prefix)
    scratch = f"sqlite:///{folder}/bench.sqlite3"
    os.environ["VAR_DIR"] = folder
    os.environ["DATABASE_URL"] = (
        os.environ.get("BENCH_DATABASE_URL", scratch) if database_from_env else scratch
    )
    os.environ["EMAIL_URL"] = "locmem://"
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ.update(environment)
    migrated = Path(
        os.environ.get("BENCH_CACHE_DIR", folder), "migrated", "telecampus.sqlite3"
    )
    if migrated.exists() and os.environ["DATABASE_URL"].startswith("sqlite:///"):
        shutil.copy(migrated, os.environ["DATABASE_URL"].removeprefix("sqlite:///"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    return folder
