"""The installable app's manifest, worker and offline rule (#17, item 1)."""

import json

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client

from tests.cms.factories import make_article, make_topic

pytestmark = pytest.mark.django_db


def _reachable(url: str) -> bool:
    if url.startswith(settings.STATIC_URL):
        return finders.find(url.removeprefix(settings.STATIC_URL)) is not None
    return Client().get(url).status_code == 200


def test_the_manifest_opens_each_audience_on_its_own_start_page(
    client, patient, clinician, editor
):
    starts = {}
    for who in (None, patient, clinician, editor):
        if who:
            client.force_login(who)
        response = client.get("/manifest.webmanifest")
        assert response["Content-Type"] == "application/manifest+json"
        manifest = json.loads(response.content)
        starts[who.username if who else "visitor"] = manifest["start_url"]
        assert manifest["id"] == "/" and manifest["display"] == "standalone"
        sizes = {icon["sizes"] for icon in manifest["icons"]}
        assert {"192x192", "512x512"} <= sizes
        for icon in manifest["icons"]:
            assert _reachable(icon["src"]), icon
    assert starts == {
        "visitor": "/",
        "patient": "/visits/",
        "clinician": "/staff/",
        "editor": "/admin/",
    }


def test_the_worker_is_javascript_that_is_never_served_stale(client):
    response = client.get("/sw.js")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert "no-cache" in response["Cache-Control"]
    shell = json.loads(response.text.split("const SHELL = ", 1)[1].split(";\n")[0])
    assert shell[0] == "/offline/"
    assert [url for url in shell if not _reachable(url)] == []


def test_only_what_a_visitor_sees_is_marked_for_an_offline_copy(client, patient):
    article = make_article(topic=make_topic())

    assert client.get(article.url)["X-Offline-Copy"] == "allowed"
    assert client.get("/")["X-Offline-Copy"] == "allowed"
    client.force_login(patient)
    for url in (article.url, "/", "/visits/", "/account/profile/", "/offline/"):
        assert "X-Offline-Copy" not in client.get(url), url
