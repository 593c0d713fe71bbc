from collections import Counter

import requests

from tests.cluster.conftest import FRONT, WEB_NODES


def test_thirty_health_checks_through_haproxy_reach_every_node():
    answered = Counter()
    for _ in range(30):
        response = requests.get(f"{FRONT}/healthz", timeout=10)
        answered[response.json()["node"]] += 1
    assert set(answered) == set(WEB_NODES), answered
