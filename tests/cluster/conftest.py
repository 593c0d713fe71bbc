"""Cross-node tests: they need the cluster that `make cluster-test` starts
(cluster/cluster.py), and are skipped anywhere else."""

import os
import re
import secrets
import string

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


def signed_in_cookies(user, **session_data) -> dict:
    """Cookies of a session as the sign-in view leaves it, written through the
    shared session store (Redis and the database) that every node reads; faster
    than 50 password checks. Comes with a CSRF cookie whose value is the token."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.update(session_data)
    session.save()
    csrf = "".join(secrets.choice(string.ascii_letters) for _ in range(32))
    return {"sessionid": session.session_key, "csrftoken": csrf}
