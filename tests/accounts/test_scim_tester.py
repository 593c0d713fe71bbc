"""scim2-tester, the field's conformance checker, against /scim/v2/ (#14).

It runs through Django's real WSGI application (every middleware, URL and view),
with a token made by `manage.py scim_token`, in process: the SCIM client of
scim2-client calls the application as a server would, without a socket.
"""

import io

import pytest
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from scim2_client.engines.wsgi import WSGISCIMClient
from scim2_tester import Status, check_server

from config.wsgi import application


def _token(name: str) -> str:
    out = io.StringIO()
    call_command("scim_token", name, stdout=out, stderr=io.StringIO())
    return out.getvalue().strip()


@pytest.fixture
def in_process_requests():
    """Keep the test's database connection (and transaction) across requests, as
    Django's own test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
def test_scim2_tester_passes_every_check(in_process_requests):
    token = _token("conformance")
    client = WSGISCIMClient(
        application,
        base_url="http://testserver/scim/v2",
        headers={"Authorization": f"Bearer {token}"},
    )
    results = check_server(client, raise_exceptions=False)
    failures = [r for r in results if r.status not in (Status.SUCCESS, Status.SKIPPED)]
    ran = [r for r in results if r.status == Status.SUCCESS]
    assert not failures, "\n".join(
        f"{r.title} [{r.resource_type}]: {r.reason} {r.data!r:.400}" for r in failures
    )
    # The checks that matter ran, not only discovery.
    titles = {r.title for r in ran}
    assert len(ran) > 20, titles
