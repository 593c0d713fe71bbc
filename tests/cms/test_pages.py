import datetime
import json

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from wagtail import blocks

from cms.models import ArticlePage, HomePage, TopicIndexPage
from cms.models.blocks import ArticleBodyBlock
from tests.cms.factories import home_page, make_article, make_topic

pytestmark = pytest.mark.django_db

# Site, page routing, alerts, translations, the listing itself: the same whatever the
# number of articles (checked with 5 and 50 below).
HOME_QUERIES = 11
# A topic also asks for the default locale (is this a stale translation?).
TOPIC_QUERIES = 12


def _soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def test_article_shows_reviewer_credentials_and_date(client, reviewer):
    topic = make_topic()
    article = make_article(
        topic=topic,
        reviewed_by=reviewer,
        reviewer_credentials="MD",
        last_reviewed=datetime.date(2026, 3, 2),
    )
    response = client.get(article.url)
    assert response.status_code == 200
    line = _soup(response).select_one(".review-line").get_text(" ", strip=True)
    assert line == f"Medically reviewed by {reviewer.full_name}, MD on Mon 2 Mar 2026"
    assert "due for a clinical review" not in response.content.decode()


def test_next_review_defaults_to_twelve_months_after_last_review(reviewer):
    article = make_article(topic=make_topic(), last_reviewed=datetime.date(2026, 2, 28))
    assert article.next_review_due == datetime.date(2027, 2, 28)


def test_next_review_before_last_review_is_refused():
    article = make_article(topic=make_topic())
    article.last_reviewed = datetime.date(2026, 5, 1)
    article.next_review_due = datetime.date(2026, 4, 1)
    with pytest.raises(ValidationError) as error:
        article.full_clean()
    assert "The next review must come after the last review." in str(error.value)


def test_article_past_review_date_warns_readers(client, reviewer):
    article = make_article(
        topic=make_topic(),
        reviewed_by=reviewer,
        last_reviewed=datetime.date(2025, 1, 1),
    )
    with time_machine.travel(datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC)):
        response = client.get(article.url)
    notice = _soup(response).select_one(".notice--warning").get_text(" ", strip=True)
    assert "This article was due for a clinical review on Thu 1 Jan 2026." in notice


def test_reading_grade_is_computed_from_the_body():
    simple = make_article(topic=make_topic())
    hard = make_article(
        topic=make_topic(),
        body=[
            (
                "paragraph",
                "<p>Hypertensive individuals demonstrating persistently elevated "
                "sphygmomanometric measurements necessitate comprehensive "
                "cardiovascular evaluation, pharmacological intervention consideration "
                "and longitudinal ambulatory monitoring, particularly considering "
                "concomitant cerebrovascular, nephrological and ophthalmological "
                "complications associated with uncontrolled hypertension.</p>",
            )
        ],
    )
    assert simple.reading_grade is not None and simple.reading_grade <= 8
    assert hard.reading_grade > 8
    assert hard.reading_grade_too_high and not simple.reading_grade_too_high


def test_editor_sees_reading_grade_and_warning_while_editing(client, editor):
    topic = make_topic()
    article = make_article(
        topic=topic,
        body=[
            (
                "paragraph",
                "<p>Hypertensive individuals demonstrating persistently elevated "
                "sphygmomanometric measurements necessitate comprehensive "
                "cardiovascular evaluation and pharmacological intervention, "
                "particularly considering concomitant cerebrovascular complications "
                "associated with uncontrolled hypertension in elderly populations.</p>",
            )
        ],
    )
    client.force_login(editor)
    response = client.get(f"/admin/pages/{article.pk}/edit/")
    assert response.status_code == 200
    panel = _soup(response).select_one("[data-reading-grade]")
    text = panel.get_text(" ", strip=True)
    assert f"Reading grade level: {article.reading_grade}." in text
    assert "This is above grade 8." in text


def test_page_tree_is_fixed_by_page_types():
    assert TopicIndexPage.allowed_parent_page_models() == [HomePage]
    assert ArticlePage.allowed_parent_page_models() == [TopicIndexPage]
    assert ArticlePage.allowed_subpage_models() == []
    assert TopicIndexPage.allowed_subpage_models() == [ArticlePage]
    assert not ArticlePage.can_create_at(home_page())


def test_article_carries_medical_web_page_json_ld(client, reviewer):
    article = make_article(
        topic=make_topic(),
        reviewed_by=reviewer,
        reviewer_credentials="MD",
        last_reviewed=datetime.date(2026, 3, 2),
    )
    soup = _soup(client.get(article.url))
    data = json.loads(soup.find("script", type="application/ld+json").string)
    assert data["@type"] == "MedicalWebPage"
    assert data["@context"] == "https://schema.org"
    assert data["lastReviewed"] == "2026-03-02"
    assert data["reviewedBy"] == {
        "@type": "Person",
        "name": reviewer.full_name,
        "honorificSuffix": "MD",
    }
    assert data["url"].endswith(article.url)
    assert soup.find("meta", attrs={"name": "description"})["content"] == (
        article.summary
    )


def test_json_ld_cannot_break_out_of_its_script_element(client):
    article = make_article(topic=make_topic(), title="</script><b>x</b>")
    body = client.get(article.url).content.decode()
    assert "</script><b>" not in body
    assert "\\u003C/script\\u003E" in body


def test_home_lists_latest_articles_and_featured_topics(client):
    topic = make_topic(title="Eye care", featured=True)
    make_topic(title="Hidden topic", featured=False)
    make_article(topic=topic, title="Keeping your eyes healthy")
    make_article(topic=topic, title="Draft article", live=False)
    soup = _soup(client.get("/"))
    latest = [a.get_text() for a in soup.select("#latest-heading ~ ul h3 a")]
    topics = [a.get_text() for a in soup.select("#topics-heading ~ ul h3 a")]
    assert latest == ["Keeping your eyes healthy"]
    assert topics == ["Eye care"]


def test_topic_lists_its_live_articles(client):
    topic = make_topic()
    make_article(topic=topic, title="B article")
    make_article(topic=topic, title="A article")
    make_article(topic=topic, title="Unpublished", live=False)
    soup = _soup(client.get(topic.url))
    assert [a.get_text() for a in soup.select(".article-list h3 a")] == [
        "A article",
        "B article",
    ]


def test_unknown_page_gets_the_styled_404(client):
    response = client.get("/heart-health/no-such-article/")
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()


@pytest.mark.parametrize("count", [5, 50])
def test_listing_pages_run_a_constant_number_of_queries(
    client, count, django_assert_num_queries
):
    topic = make_topic(featured=True)
    for number in range(count):
        make_article(topic=topic, title=f"Article {number}")
    client.get("/")  # warm Wagtail's site-root cache, as any running server has
    with django_assert_num_queries(HOME_QUERIES):
        assert client.get("/").status_code == 200
    with django_assert_num_queries(TOPIC_QUERIES):
        assert client.get(topic.url).status_code == 200


def test_image_block_requires_alt_text():
    image_block = ArticleBodyBlock().child_blocks["image"]
    with pytest.raises(blocks.StructBlockValidationError) as error:
        image_block.clean(
            image_block.to_python({"image": None, "alt_text": "", "caption": ""})
        )
    assert "alt_text" in error.value.block_errors


def test_youtube_video_plays_from_the_nocookie_host_csp_allows(client):
    from wagtail.embeds.embeds import get_embed_hash
    from wagtail.embeds.models import Embed

    video_url = "https://www.youtube.com/watch?v=abc123XYZ"
    Embed.objects.create(
        url=video_url,
        hash=get_embed_hash(video_url),
        type="video",
        html=(
            '<iframe width="200" height="113" '
            'src="https://www.youtube.com/embed/abc123XYZ?feature=oembed" '
            'frameborder="0" allowfullscreen title="Hand washing"></iframe>'
        ),
        provider_name="YouTube",
    )
    article = make_article(
        topic=make_topic(),
        body=[
            ("paragraph", "<p>Wash your hands.</p>"),
            ("video", {"video": video_url, "title": "Hand washing"}),
        ],
    )
    response = client.get(article.url)
    assert response.status_code == 200
    iframe = BeautifulSoup(response.content, "html.parser").select_one(
        ".video__frame iframe"
    )
    assert iframe["src"] == (
        "https://www.youtube-nocookie.com/embed/abc123XYZ?feature=oembed"
    )
