"""Cross-node tests: they need the cluster that `make cluster-test` starts
(cluster/cluster.py), and are skipped anywhere else."""

import os
import re

import pytest
import requests

from cluster.cluster import PORT, WEB_NODES, WEB_PORT

RUNNING = os.environ.get("CLUSTER_RUNNING") == "1"
FRONT = f"http://127.0.0.1:{PORT}"
NODE_URLS = {
    name: f"http://{address}:{WEB_PORT}" for name, address in WEB_NODES.items()
}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/cluster/" not in str(item.fspath).replace(os.sep, "/"):
            continue
        item.add_marker(pytest.mark.cluster)
        if not RUNNING:
            item.add_marker(pytest.mark.skip(reason="needs make cluster-test"))


@pytest.fixture(scope="session")
def cluster_db(django_db_blocker):
    """The cluster's own database (tc_cluster_run), not a test database: what the
    tests create there is what every node and worker sees."""
    with django_db_blocker.unblock():
        yield


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def post_form(session: requests.Session, url: str, data: dict, **kwargs):
    """GET the form (for its CSRF token), then POST it, as a browser would."""
    page = session.get(url, **kwargs)
    token = csrf_token(page.text)
    return session.post(
        url,
        data={"csrfmiddlewaretoken": token, **data},
        headers={"Referer": url},
        allow_redirects=False,
        **kwargs,
    )
