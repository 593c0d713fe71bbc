"""Must run last (its name sorts last in tests/cluster/): it stops web3 for good."""

import csv
import io
import os
import signal
import subprocess
import time
from collections import Counter

import requests

from cluster.cluster import HAPROXY_STATS_PORT, namespace
from tests.cluster.conftest import FRONT


def _haproxy_status(server: str) -> str:
    stats = requests.get(f"http://127.0.0.1:{HAPROXY_STATS_PORT}/;csv", timeout=5)
    rows = csv.DictReader(io.StringIO(stats.text.lstrip("# ")))
    for row in rows:
        if row["pxname"] == "web_nodes" and row["svname"] == server:
            return row["status"]
    raise AssertionError(f"{server} not in HAProxy's stats")


def test_haproxy_routes_around_a_stopped_web_node():
    assert _haproxy_status("web3") == "UP"
    pids = subprocess.run(  # noqa: S603 - our own namespace's processes
        ["ip", "netns", "pids", namespace("web3")],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert pids, "nothing runs in web3's namespace"
    for pid in pids:
        os.kill(int(pid), signal.SIGKILL)

    deadline = time.monotonic() + 15
    while _haproxy_status("web3") != "DOWN" and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _haproxy_status("web3") == "DOWN"

    answered = Counter()
    for _ in range(30):
        response = requests.get(f"{FRONT}/healthz", timeout=10)
        # 503 would mean a shared service is down, not web3; 502/504 a lost request.
        assert response.status_code in {200, 503}, response.status_code
        answered[response.json()["node"]] += 1
    assert set(answered) == {"web1", "web2"}, answered
    for _ in range(10):
        assert requests.get(f"{FRONT}/accounts/login/", timeout=10).status_code == 200
