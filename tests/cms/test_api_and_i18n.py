import datetime

import pytest
from bs4 import BeautifulSoup
from defusedxml.ElementTree import fromstring
from wagtail.models import Locale

from cms.models import HomePage
from tests.cms.factories import make_article, make_topic

pytestmark = pytest.mark.django_db

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture
def translated(reviewer):
    topic = make_topic(title="Heart health", slug="heart-health")
    article = make_article(
        topic=topic,
        title="Measuring your blood pressure at home",
        slug="blood-pressure",
        reviewed_by=reviewer,
        last_reviewed=datetime.date(2026, 3, 2),
    )
    spanish = Locale.objects.get(language_code="es")
    spanish_topic = topic.copy_for_translation(spanish)
    spanish_topic.title = "Salud del corazón"
    spanish_topic.save_revision().publish()
    spanish_article = article.copy_for_translation(spanish)
    spanish_article.title = "Cómo medir la presión arterial en casa"
    spanish_article.save_revision().publish()
    return article, spanish_article


def test_api_lists_articles_with_review_fields(client, translated):
    article, _ = translated
    response = client.get(
        "/api/v2/pages/",
        {"type": "cms.ArticlePage", "fields": "summary,reviewer_name,last_reviewed"},
    )
    assert response.status_code == 200
    data = response.json()
    titles = {item["title"] for item in data["items"]}
    assert titles == {"Measuring your blood pressure at home",
                      "Cómo medir la presión arterial en casa"}  # fmt: skip
    english = next(i for i in data["items"] if i["meta"]["locale"] == "en")
    assert english["reviewer_name"] == article.reviewer_name
    assert english["last_reviewed"] == "2026-03-02"
    detail = client.get(f"/api/v2/pages/{article.pk}/").json()
    assert detail["body"][0]["type"] == "paragraph"
    assert detail["reading_grade"] == str(article.reading_grade)


def test_api_has_images_but_no_documents_endpoint(client):
    assert client.get("/api/v2/images/").status_code == 200
    # Listing documents would hand out CME lecture files' download URLs.
    assert client.get("/api/v2/documents/").status_code == 404


def test_patient_education_document_still_downloads(client, settings, tmp_path):
    from django.core.files.base import ContentFile
    from django.urls import reverse
    from wagtail.documents.models import Document

    settings.MEDIA_ROOT = tmp_path
    leaflet = Document(title="Leaflet")
    leaflet.file.save("leaflet.pdf", ContentFile(b"%PDF-1.4 leaflet"))
    response = client.get(
        reverse("wagtaildocs_serve", args=[leaflet.pk, leaflet.filename])
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 leaflet"


def test_api_hides_drafts(client):
    make_article(topic=make_topic(), title="Secret draft", live=False)
    data = client.get("/api/v2/pages/", {"type": "cms.ArticlePage"}).json()
    assert data["meta"]["total_count"] == 0


def test_home_page_works_in_both_languages(client):
    assert HomePage.objects.filter(locale__language_code="es").exists()
    english = client.get("/")
    spanish = client.get("/es/")
    assert english.status_code == spanish.status_code == 200
    assert "Información de salud confiable" in spanish.content.decode()


def test_spanish_version_is_one_click_away(client, translated):
    article, spanish_article = translated
    soup = BeautifulSoup(client.get(article.url).content, "html.parser")
    link = soup.select_one(".language-switcher a[hreflang=es]")
    assert link["href"] == spanish_article.url
    assert link["href"].startswith("/es/")
    spanish_page = client.get(link["href"])
    assert spanish_page.status_code == 200
    soup = BeautifulSoup(spanish_page.content, "html.parser")
    assert soup.html["lang"] == "es"
    assert soup.h1.get_text() == "Cómo medir la presión arterial en casa"
    review_line = soup.select_one(".review-line").get_text(" ", strip=True)
    assert review_line.startswith("Revisado médicamente por")
    back = soup.select_one(".language-switcher a[hreflang=en]")
    assert back["href"] == article.url


def test_untranslated_article_offers_no_dead_language_link(client):
    article = make_article(topic=make_topic())
    soup = BeautifulSoup(client.get(article.url).content, "html.parser")
    assert soup.select(".language-switcher a") == []


def test_sitemap_lists_pages_in_both_languages(client, translated):
    article, spanish_article = translated
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = fromstring(response.content)
    locations = [loc.text for loc in root.findall("s:url/s:loc", SITEMAP_NS)]
    assert any(loc.endswith(article.url) for loc in locations)
    assert any(loc.endswith(spanish_article.url) for loc in locations)
