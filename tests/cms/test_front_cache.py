"""Cluster mode (FRONTEND_CACHE_URL): Varnish caches anonymous pages, we purge it."""

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from tests.cms.factories import make_article, make_topic

pytestmark = pytest.mark.django_db


class _FakeVarnish(BaseHTTPRequestHandler):
    purges: list[tuple[str, str]] = []

    def do_PURGE(self):  # noqa: N802 - the HTTP method's name
        self.purges.append((self.path, self.headers["Host"]))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def front_cache(settings, page_cache):
    # Port 0: any free port. A fixed one was taken whenever another xdist worker
    # (or another checkout's test run) had its fake Varnish up at the same time.
    server = HTTPServer(("127.0.0.1", 0), _FakeVarnish)
    url = f"http://127.0.0.1:{server.server_address[1]}"
    # shutdown() waits for the loop's next poll: 0.5 s a test at the default.
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
    )
    thread.start()
    _FakeVarnish.purges = []
    settings.FRONTEND_CACHE_URL = url
    settings.WAGTAILFRONTENDCACHE = {
        "varnish": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": url,
        }
    }
    yield _FakeVarnish.purges
    server.shutdown()
    server.server_close()


def test_anonymous_pages_are_left_to_the_front_cache(client, front_cache):
    article = make_article(topic=make_topic())
    response = client.get(article.url)
    cache_control = response["Cache-Control"]
    assert "public" in cache_control and "s-maxage=300" in cache_control
    # Not stored in this process: a change shows at once even without a purge.
    article.title = "Changed without telling anyone"
    article.save_revision().publish()
    assert "Changed without telling anyone" in client.get(article.url).content.decode()


def test_signed_in_pages_are_not_for_the_front_cache(client, front_cache, patient):
    article = make_article(topic=make_topic())
    client.force_login(patient)
    assert "s-maxage" not in client.get(article.url).get("Cache-Control", "")


def test_publishing_purges_every_page_from_the_front_cache(front_cache, settings):
    article = make_article(topic=make_topic())
    front_cache.clear()
    article.title = "New title"
    article.save_revision().publish()
    host = settings.BASE_URL.split("://", 1)[1]
    assert ("/*", host) in front_cache
