"""Run every bench/bench_*.py in turn and print their RATIO lines.

    .venv/bin/python bench/run_all.py           # full runs (make bench)
    .venv/bin/python bench/run_all.py --quick   # a few requests each (CI)

--quick sets BENCH_QUICK=1, so each script only proves it still runs (its figures
mean nothing), and lets the HTTP scripts share one migrated, seeded scratch folder.
Any script that fails makes the run fail.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
QUICK_TIMEOUT_SECONDS = 900


def _migrate_once(var_dir: Path, env: dict) -> None:
    """One migrated SQLite database the SQLite scripts copy instead of migrating."""
    started = time.monotonic()
    var_dir.mkdir()
    sqlite_env = {k: v for k, v in env.items() if k != "DATABASE_URL"}
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=HERE.parent,
        env={**sqlite_env, "VAR_DIR": str(var_dir), "LOG_LEVEL": "WARNING"},
        check=True,
    )
    print(f"== migrated a scratch database in {time.monotonic() - started:.0f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    env = dict(os.environ)
    cache_dir = None
    if args.quick:
        cache_dir = tempfile.mkdtemp(prefix="telecampus-bench-cache-")
        env.update(BENCH_QUICK="1", BENCH_CACHE_DIR=cache_dir)
        _migrate_once(Path(cache_dir) / "migrated", env)
    failed = []
    try:
        for script in sorted(HERE.glob("bench_*.py")):
            print(f"== {script.name}", flush=True)
            started = time.monotonic()
            try:
                result = subprocess.run(
                    [sys.executable, str(script)],
                    cwd=HERE.parent,
                    env=env,
                    check=False,
                    timeout=QUICK_TIMEOUT_SECONDS if args.quick else None,
                )
                ok = result.returncode == 0
            except subprocess.TimeoutExpired:
                ok = False
            seconds = time.monotonic() - started
            print(f"   {'ok' if ok else 'FAILED'} in {seconds:.0f} s", flush=True)
            if not ok:
                failed.append(script.name)
    finally:
        if cache_dir:
            shutil.rmtree(cache_dir, ignore_errors=True)
    if failed:
        print(f"failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
