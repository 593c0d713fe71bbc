"""Home page and a patient-education article under concurrent anonymous load vs the
bare Django view, same server, same run (cms issue target: ratio >= 0.5).

.venv/bin/python bench/bench_cms_pages.py [--port 8101]
"""

import argparse
import http.client
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from http_load import (  # noqa: E402
    compare,
    concurrency_default,
    port,
    requests_default,
    running_server,
)

ARTICLE_PATH = "/heart-health/measuring-blood-pressure-at-home/"
TARGET = 0.5


def _check_served(port: int, path: str) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path)
    response = conn.getresponse()
    body = response.read().decode()
    if response.status != 200 or "Flu season" not in body:
        raise SystemExit(f"{path} did not serve the seeded page ({response.status})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=port(8101))
    parser.add_argument("--requests", type=int, default=requests_default(1200))
    parser.add_argument("--concurrency", type=int, default=concurrency_default(8))
    args = parser.parse_args()
    with running_server(args.port) as base_url:
        print(f"gunicorn at {base_url}, 2 workers x 4 threads, production settings")
        results = []
        for name, path in [("home page", "/"), ("article page", ARTICLE_PATH)]:
            _check_served(args.port, path)
            results.append(
                compare(
                    args.port,
                    f"cms {name} / bare view",
                    path,
                    requests=args.requests,
                    concurrency=args.concurrency,
                )
            )
    worst = min(result["ratio"] for result in results)
    print(f"target >= {TARGET}: {'met' if worst >= TARGET else 'NOT met'}")


if __name__ == "__main__":
    main()
