import pytest
from bs4 import BeautifulSoup
from wagtail.contrib.search_promotions.models import Query, SearchPromotion

from tests.cms.factories import make_alert, make_article, make_topic

pytestmark = pytest.mark.django_db


def _result_titles(response) -> list[str]:
    soup = BeautifulSoup(response.content, "html.parser")
    return [a.get_text(strip=True) for a in soup.select(".article-list__item > a")]


@pytest.fixture
def library():
    heart = make_topic(title="Heart health", slug="heart-health")
    eyes = make_topic(title="Eye care", slug="eye-care")
    bp = make_article(
        topic=heart,
        title="Measuring your blood pressure at home",
        summary="Check your blood pressure at home the right way.",
    )
    eye = make_article(
        topic=eyes,
        title="Keeping your eyes healthy",
        summary="Sunglasses, eye exams and rest from screens.",
        body=[("paragraph", "<p>Rest your eyes at home. Get an eye exam.</p>")],
    )
    return {"heart": heart, "eyes": eyes, "bp": bp, "eye": eye}


def test_search_finds_the_blood_pressure_article(client, library):
    response = client.get("/search/", {"q": "blood pressure"})
    assert response.status_code == 200
    assert "Measuring your blood pressure at home" in _result_titles(response)
    assert "Keeping your eyes healthy" not in _result_titles(response)


def test_search_finds_topics(client, library):
    assert "Eye care" in _result_titles(client.get("/search/", {"q": "eye"}))


def test_topic_filter_limits_results(client, library):
    everywhere = _result_titles(client.get("/search/", {"q": "home"}))
    assert "Measuring your blood pressure at home" in everywhere
    in_eye_care = _result_titles(
        client.get("/search/", {"q": "home", "topic": "eye-care"})
    )
    assert "Measuring your blood pressure at home" not in in_eye_care
    assert "Keeping your eyes healthy" in in_eye_care


def test_promoted_results_come_first(client, library):
    SearchPromotion.objects.create(
        query=Query.get("flu"), page=library["eye"], description="Promoted"
    )
    soup = BeautifulSoup(client.get("/search/", {"q": "flu"}).content, "html.parser")
    promoted = [a.get_text() for a in soup.select(".article-list--promoted a")]
    assert promoted == ["Keeping your eyes healthy"]


def test_search_finds_active_alerts(client, library):
    make_alert(title="Measles exposure at North clinic")
    assert "Advisory: Measles exposure at North clinic" in _result_titles(
        client.get("/search/", {"q": "measles"})
    )


@pytest.mark.parametrize(
    "query",
    [
        "a" * 5000,
        '"blood pressure',
        "100% sure",
        "'; DROP TABLE wagtailcore_page; --",
        "blood AND OR NOT NEAR pressure",
        "blood* (pressure) ^2 {x} [y] -z +w",
        "🩺❤️ blood",
        "\x00\x1f",
    ],
)
def test_any_query_answers_200(client, library, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200


def test_empty_and_unknown_topic_are_harmless(client, library):
    assert client.get("/search/").status_code == 200
    response = client.get("/search/", {"q": "blood", "topic": "no-such-topic"})
    assert response.status_code == 200
    assert "Measuring your blood pressure at home" in _result_titles(response)


def test_search_is_per_language(client, library):
    response = client.get("/es/search/", {"q": "blood pressure"})
    assert response.status_code == 200
    assert _result_titles(response) == []
