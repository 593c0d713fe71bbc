"""The bench scripts' servers start under production settings (make bench was broken
when production began refusing locmem mail; CI now also runs run_all.py --quick)."""

import importlib.util
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def load_http_load():
    spec = importlib.util.spec_from_file_location(
        "http_load", ROOT / "bench" / "http_load.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bench_server_environment_passes_production_start_up(tmp_path):
    env = load_http_load().server_env(tmp_path)
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    assert env["DEBUG"] == "0"
    result = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


def test_every_bench_script_has_a_quick_mode():
    for script in sorted((ROOT / "bench").glob("bench_*.py")):
        source = script.read_text()
        assert "BENCH_QUICK" in source or "requests_default(" in source, script.name
