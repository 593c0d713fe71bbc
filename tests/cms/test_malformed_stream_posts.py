"""A hand-made StreamField post is a field error, never a 500, and saves nothing (#13).

Wagtail's JavaScript writes the numbered inputs a StreamField posts; without them,
or with a count that is not a number, Wagtail raised while reading the form.
"""

import json

import pytest
from django.test import Client
from django.urls import reverse

from accounts import demo as accounts_demo
from accounts.models import User
from cms import demo as cms_demo
from cms.models import ArticlePage

pytestmark = pytest.mark.django_db

PARAGRAPH = json.dumps(
    {"blocks": [{"key": "k1", "type": "unstyled", "text": "Changed."}], "entityMap": {}}
)


def _edit_post(article: ArticlePage, **body) -> dict:
    return {
        "title": article.title,
        "slug": article.slug,
        "summary": article.summary,
        "audience": article.audience,
        "references": "",
        "related_links-TOTAL_FORMS": "0",
        "related_links-INITIAL_FORMS": "0",
        "related_links-MIN_NUM_FORMS": "0",
        "related_links-MAX_NUM_FORMS": "1000",
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
        "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "1000",
        **body,
    }


@pytest.fixture
def editor_and_article():
    accounts_demo.seed()
    cms_demo.seed()
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(username="editor"))
    return client, ArticlePage.objects.filter(locale__language_code="en").first()


@pytest.mark.parametrize(
    "body",
    [
        {"body-count": "<script>"},
        {"body-count": ""},
        {"body-count": "9" * 50},
        {
            "body-count": "1",
            "body-0-type": "paragraph",
            "body-0-order": "NaN",
            "body-0-deleted": "",
            "body-0-value": PARAGRAPH,
        },
        {"body-count": "1", "body-0-type": "paragraph", "body-0-value": PARAGRAPH},
    ],
    ids=["count-not-a-number", "count-empty", "count-huge", "order-nan", "no-order"],
)
def test_a_malformed_body_is_a_field_error_and_keeps_the_saved_body(
    editor_and_article, body
):
    client, article = editor_and_article
    saved_body = list(article.get_latest_revision_as_object().body.raw_data)
    revisions = article.revisions.count()

    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[article.pk]),
        _edit_post(article, **body),
    )

    assert response.status_code == 200
    assert "This content arrived incomplete and was not saved." in response.text
    article.refresh_from_db()
    assert article.revisions.count() == revisions
    assert list(article.get_latest_revision_as_object().body.raw_data) == saved_body


def test_a_well_formed_body_still_saves(editor_and_article):
    client, article = editor_and_article
    well_formed = {
        "body-count": "1",
        "body-0-type": "paragraph",
        "body-0-order": "0",
        "body-0-deleted": "",
        "body-0-id": "",
        "body-0-value": PARAGRAPH,
    }

    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[article.pk]),
        _edit_post(article, **well_formed),
    )

    assert response.status_code == 302
    draft = ArticlePage.objects.get(pk=article.pk).get_latest_revision_as_object()
    assert "Changed." in str(draft.body)
