"""Shared HTTP load harness for bench/ scripts.

Starts gunicorn (production settings, SQLite in a scratch folder, demo data) on
127.0.0.1, then drives it from a second process with a bounded number of keep-alive
requests per target. Every script compares its pages with the bare Django view in the
same server and the same run, so the ratio does not depend on the machine.

BENCH_QUICK=1 (set by `run_all.py --quick`, which CI runs) shrinks every script to a
few requests, only to prove that it still runs; its figures mean nothing.
BENCH_PORT moves the first server's port; BENCH_CACHE_DIR lets the scripts of one
run share a migrated and seeded scratch folder instead of preparing one each.
"""

import http.client
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUICK = os.environ.get("BENCH_QUICK") == "1"
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")


def server_env(var_dir: Path) -> dict:
    return {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        # Production requires the public address; links are not followed here.
        "BASE_URL": "http://127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "BEHIND_TLS_PROXY": "0",
        "SECURE_HSTS_SECONDS": "0",
        "VAR_DIR": str(var_dir),
        "BENCHMARK_ENDPOINTS": "1",
        "LOG_LEVEL": "WARNING",
        # Production settings refuse console and locmem mail; nothing is sent
        # anyway (no task worker runs), but the outbox needs a real backend named.
        "EMAIL_URL": f"file://{var_dir / 'mail'}",
    }


def port(default: int) -> int:
    """The script's port: its default, or shifted by BENCH_PORT (base 8100)."""
    return int(os.environ.get("BENCH_PORT", "8100")) + default - 8100


def requests_default(full: int) -> int:
    return 40 if QUICK else full


def concurrency_default(full: int) -> int:
    return 2 if QUICK else full


def _prepare(env: dict, *, seed: bool) -> None:
    steps = [["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"]]
    if seed:
        steps.append(["seed_demo", "--force"])
    for step in steps:
        subprocess.run(
            [PYTHON, "manage.py", *step],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )


def migrated_database() -> Path | None:
    """The migrated SQLite file run_all.py --quick prepared once for every script."""
    cache = os.environ.get("BENCH_CACHE_DIR")
    path = Path(cache, "migrated", "telecampus.sqlite3") if cache else None
    return path if path and path.exists() else None


def _prepare_or_copy(var_dir: Path, env: dict, *, seed: bool) -> None:
    cache = os.environ.get("BENCH_CACHE_DIR")
    ready = Path(cache, "seeded" if seed else "prepared") if cache else None
    if ready and (ready / "ready").exists():
        shutil.copytree(ready, var_dir, dirs_exist_ok=True)
        return
    if migrated_database():
        # migrate then only checks; the other steps still run.
        shutil.copy(migrated_database(), var_dir / "telecampus.sqlite3")
    _prepare(env, seed=seed)
    if ready:
        shutil.copytree(var_dir, ready, dirs_exist_ok=True)
        (ready / "ready").touch()


@contextmanager
def running_server(port: int, *, workers: int = 2, threads: int = 4, seed: bool = True):
    """Yield the base URL of a migrated, seeded gunicorn server; stop it afterwards."""
    var_dir = Path(tempfile.mkdtemp(prefix="telecampus-bench-"))
    env = server_env(var_dir)
    env.pop("DATABASE_URL", None)
    try:
        _prepare_or_copy(var_dir, env, seed=seed)
        server = subprocess.Popen(
            [
                GUNICORN,
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--threads",
                str(threads),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        try:
            _wait_until_up(port)
            yield f"http://127.0.0.1:{port}"
        finally:
            server.terminate()
            server.wait(timeout=30)
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)


def _wait_until_up(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/_bench/bare")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"server on port {port} did not start within {timeout}s")


def _worker(
    port: int, method: str, path: str, body: bytes | None, count: int
) -> list[float]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Content-Type": "application/json"} if body else {}
    latencies = []
    for _ in range(count):
        started = time.perf_counter()
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        if response.status >= 400:
            raise SystemExit(f"{method} {path} answered {response.status}")
        latencies.append(time.perf_counter() - started)
    conn.close()
    return latencies


def load(
    port: int,
    path: str,
    *,
    method: str = "GET",
    body: bytes | None = None,
    requests: int = 1200,
    concurrency: int = 8,
) -> dict:
    """Send `requests` requests over `concurrency` keep-alive connections."""
    _worker(port, method, path, body, 20)  # warm caches and connections
    per_worker = requests // concurrency
    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        futures = [
            pool.submit(_worker, port, method, path, body, per_worker)
            for _ in range(concurrency)
        ]
        latencies = [lat for f in futures for lat in f.result()]
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "path": path,
        "requests": len(latencies),
        "rps": round(len(latencies) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 2),
        "p95_ms": round(latencies[int(len(latencies) * 0.95) - 1] * 1000, 2),
    }


def load_in_second_process(port: int, path: str, **kwargs) -> dict:
    """Run `load` in a separate Python process so the client does not share the GIL."""
    body = kwargs.pop("body", None)
    args = {**kwargs, "body": body.decode() if body is not None else None}
    out = subprocess.run(
        [PYTHON, __file__, str(port), path, json.dumps(args)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout)


def compare(
    port: int, name: str, path: str, *, baseline: str = "/_bench/bare", **kwargs
) -> dict:
    """Measure baseline, target, baseline again; the ratio uses the mean baseline."""
    first = load_in_second_process(port, baseline, **kwargs)
    target = load_in_second_process(port, path, **kwargs)
    second = load_in_second_process(port, baseline, **kwargs)
    baseline_rps = (first["rps"] + second["rps"]) / 2
    ratio = target["rps"] / baseline_rps
    print(f"  baseline {baseline}: {first['rps']} / {second['rps']} req/s")
    latency = f"p50 {target['p50_ms']} ms, p95 {target['p95_ms']} ms"
    print(f"  {path}: {target['rps']} req/s ({latency})")
    print(f"RATIO {name}: {ratio:.2f}")
    sys.stdout.flush()
    return {
        "name": name,
        "ratio": ratio,
        "target": target,
        "baseline_rps": baseline_rps,
    }


if __name__ == "__main__":
    port_arg, path_arg, options = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    if options.get("body") is not None:
        options["body"] = options["body"].encode()
    print(json.dumps(load(int(port_arg), path_arg, **options)))
