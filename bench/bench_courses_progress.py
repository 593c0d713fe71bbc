"""Lecture progress reports under concurrent load vs a bare Django POST view.

Same gunicorn server, same run: the clinician from the demo signs in (password and
TOTP, over HTTP), opens a lecture, then a second process posts watched segments to
the progress endpoint and, as the baseline, the same request to /_bench/bare-post.
Target: the endpoint keeps at least half the bare view's throughput.

.venv/bin/python bench/bench_courses_progress.py [--port 8102]
"""

import argparse
import http.client
import json
import re
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent))
from http_load import (  # noqa: E402
    PYTHON,
    concurrency_default,
    port,
    requests_default,
    running_server,
)

from tests.totp import totp_now  # noqa: E402

DEMO_PASSWORD = "telecampus-demo"  # noqa: S105 - the published demo password
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105 - demo personas
BODY = json.dumps({"segments": [[0.0, 8.0], [8.0, 16.0]]}).encode()


class Browser:
    """Just enough of a browser to sign in: cookies, CSRF tokens, redirects."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            form = {**form, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        location = response.headers.get("Location")
        conn.close()
        if response.status in (301, 302) and location:
            return self.request("GET", location)
        if response.status >= 400:
            raise SystemExit(f"{method} {path} answered {response.status}")
        return path, text


def signed_in_progress_url(port: int) -> tuple[str, dict]:
    browser = Browser(port)
    browser.request("GET", "/accounts/login/")
    path, _text = browser.request(
        "POST", "/accounts/login/", {"login": "clinician", "password": DEMO_PASSWORD}
    )
    if "2fa" in path:
        browser.request("POST", path, {"code": totp_now(DEMO_TOTP_SECRET)})
    _path, dashboard = browser.request("GET", "/courses/dashboard/")
    enrolment = re.search(r'href="(/courses/enrolments/[0-9a-f-]+/)"', dashboard)
    if not enrolment:
        raise SystemExit("the demo clinician has no enrolment: was seed_demo run?")
    _path, home = browser.request("GET", enrolment.group(1))
    lecture = re.search(r'href="(/courses/enrolments/[^"]+/lectures/[^"]+/)"', home)
    _path, player = browser.request("GET", lecture.group(1))
    progress = re.search(r'data-progress-url="([^"]+)"', player).group(1)
    headers = {
        "Cookie": "; ".join(f"{k}={v}" for k, v in browser.cookies.items()),
        "X-CSRFToken": browser.cookies["csrftoken"],
        "Content-Type": "application/json",
    }
    return progress, headers


def _worker(port: int, path: str, headers: dict, count: int) -> list[float]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    latencies = []
    for _ in range(count):
        started = time.perf_counter()
        conn.request("POST", path, body=BODY, headers=headers)
        response = conn.getresponse()
        response.read()
        if response.status >= 400:
            raise SystemExit(f"POST {path} answered {response.status}")
        latencies.append(time.perf_counter() - started)
    conn.close()
    return latencies


def load(port: int, path: str, headers: dict, requests: int, concurrency: int) -> dict:
    _worker(port, path, headers, 10)
    per_worker = requests // concurrency
    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        futures = [
            pool.submit(_worker, port, path, headers, per_worker)
            for _ in range(concurrency)
        ]
        latencies = sorted(lat for f in futures for lat in f.result())
    elapsed = time.perf_counter() - started
    return {
        "rps": round(len(latencies) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 2),
        "p95_ms": round(latencies[int(len(latencies) * 0.95) - 1] * 1000, 2),
    }


def load_in_second_process(port, path, headers, requests, concurrency) -> dict:
    """The client runs in its own process so it does not share the server's CPU lock."""
    args = json.dumps([port, path, headers, requests, concurrency])
    out = subprocess.run(
        [PYTHON, __file__, "--load", args],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=port(8102))
    parser.add_argument("--requests", type=int, default=requests_default(800))
    parser.add_argument("--concurrency", type=int, default=concurrency_default(8))
    parser.add_argument("--load", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.load:
        print(json.dumps(load(*json.loads(args.load))))
        return
    with running_server(args.port) as base_url:
        print(f"gunicorn at {base_url}, 2 workers x 4 threads, production settings")
        progress, headers = signed_in_progress_url(args.port)
        run = (args.port, headers, args.requests, args.concurrency)
        first = load_in_second_process(args.port, "/_bench/bare-post", *run[1:])
        target = load_in_second_process(args.port, progress, *run[1:])
        second = load_in_second_process(args.port, "/_bench/bare-post", *run[1:])
    baseline = (first["rps"] + second["rps"]) / 2
    print(f"  baseline /_bench/bare-post: {first['rps']} / {second['rps']} req/s")
    print(
        f"  progress report: {target['rps']} req/s "
        f"(p50 {target['p50_ms']} ms, p95 {target['p95_ms']} ms)"
    )
    print(f"RATIO progress report / bare POST: {target['rps'] / baseline:.2f}")


if __name__ == "__main__":
    main()
