"""Varnish caches anonymous cms pages for every node; publishing purges them."""

import time
import uuid

import pytest
import requests

from tests.cluster.conftest import FRONT, NODE_URLS


def _shows(base: str, path: str, text: str) -> bool:
    return text in requests.get(base + path, timeout=10).text


@pytest.mark.usefixtures("cluster_db")
def test_a_published_article_is_served_new_everywhere_within_two_seconds():
    from cms.models import ArticlePage

    article = ArticlePage.objects.live().filter(locale__language_code="en").first()
    path = article.url
    old_title = article.title
    requests.get(FRONT + path, timeout=10)
    cached = requests.get(FRONT + path, timeout=10)
    assert cached.headers.get("X-Cache") == "hit", "Varnish did not cache the article"
    assert old_title in cached.text

    new_title = f"Updated {uuid.uuid4().hex[:8]}"
    article.title = new_title
    # Publishing here runs the same signal handlers as in a web node: they purge
    # Varnish (wagtail.contrib.frontend_cache) and the cache generation in Redis.
    article.save_revision().publish()

    deadline = time.monotonic() + 2
    stale = {"varnish", *NODE_URLS}
    while stale and time.monotonic() < deadline:
        if "varnish" in stale and _shows(FRONT, path, new_title):
            stale.discard("varnish")
        for name, base in NODE_URLS.items():
            if name in stale and _shows(base, path, new_title):
                stale.discard(name)
    assert not stale, f"still serving the old article after 2 s: {sorted(stale)}"
    # And stays new (no node or cache falls back to the old copy).
    for base in [FRONT, *NODE_URLS.values()]:
        assert not _shows(base, path, f"<h1>{old_title}</h1>")
        assert _shows(base, path, new_title)
