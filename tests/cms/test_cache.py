import pytest

from tests.cms.factories import make_alert, make_article, make_topic

pytestmark = pytest.mark.django_db


def test_anonymous_page_is_served_from_the_cache(
    client, page_cache, django_assert_num_queries
):
    article = make_article(topic=make_topic())
    first = client.get(article.url)
    with django_assert_num_queries(0):
        second = client.get(article.url)
    assert second.content == first.content
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]


def test_publishing_invalidates_cached_pages(client, page_cache):
    topic = make_topic()
    article = make_article(topic=topic, title="Old title")
    assert "Old title" in client.get(article.url).content.decode()
    article.title = "New title"
    article.save_revision().publish()
    assert "New title" in client.get(article.url).content.decode()
    make_article(topic=topic, title="Brand new article")
    assert "Brand new article" in client.get(topic.url).content.decode()


def test_unpublishing_takes_the_page_away(client, page_cache):
    article = make_article(topic=make_topic())
    assert client.get(article.url).status_code == 200
    article.unpublish()
    assert client.get(article.url).status_code == 404


def test_a_page_made_private_is_no_longer_served_from_the_cache(client, page_cache):
    from wagtail.models import PageViewRestriction

    article = make_article(topic=make_topic())
    assert client.get(article.url).status_code == 200
    PageViewRestriction.objects.create(
        page=article, restriction_type=PageViewRestriction.LOGIN
    )
    assert client.get(article.url).status_code == 302


def test_a_moved_page_is_not_served_at_its_old_address(client, page_cache):
    article = make_article(topic=make_topic(), title="Moving article")
    destination = make_topic(title="Another topic")
    old_url = article.url
    assert client.get(old_url).status_code == 200
    article.move(destination, pos="last-child")
    article.refresh_from_db()
    moved = client.get(old_url)
    assert (moved.status_code, moved["Location"]) == (301, article.url)


def test_new_alert_reaches_cached_pages_at_once(client, page_cache):
    article = make_article(topic=make_topic())
    client.get(article.url)
    make_alert(title="Measles exposure")
    assert "Measles exposure" in client.get(article.url).content.decode()


def test_signed_in_people_are_never_served_a_cached_page(client, page_cache, patient):
    article = make_article(topic=make_topic())
    client.get(article.url)
    client.force_login(patient)
    assert "Sign out" in client.get(article.url).content.decode()


def test_languages_are_cached_separately(client, page_cache):
    english = client.get("/").content.decode()
    spanish = client.get("/es/").content.decode()
    assert 'lang="en"' in english and 'lang="es"' in spanish
