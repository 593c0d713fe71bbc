"""Home page under concurrent load vs the bare Django view, same server, same run.

.venv/bin/python bench/bench_home_page.py [--port 8100]
"""

import argparse
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=port(8100))
    parser.add_argument("--requests", type=int, default=requests_default(1200))
    parser.add_argument("--concurrency", type=int, default=concurrency_default(8))
    args = parser.parse_args()
    with running_server(args.port) as base_url:
        print(f"gunicorn at {base_url}, 2 workers x 4 threads, production settings")
        compare(
            args.port,
            "home page / bare view",
            "/",
            requests=args.requests,
            concurrency=args.concurrency,
        )


if __name__ == "__main__":
    main()
