"""Spanish for real: chrome, alerts, emails by language, stale translations, search
without accents (on whichever database the suite runs: SQLite or PostgreSQL)."""

import pytest
from bs4 import BeautifulSoup
from wagtail.models import Locale

from cms import services
from cms.models import AlertSubscription
from tests.cms.factories import make_alert, make_article, make_topic

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return " ".join(BeautifulSoup(response.content, "html.parser").get_text().split())


def _translate(page, **spanish):
    translated = page.copy_for_translation(Locale.objects.get(language_code="es"))
    for name, value in spanish.items():
        setattr(translated, name, value)
    translated.save_revision().publish()
    translated.refresh_from_db()
    return translated


@pytest.fixture
def heart():
    topic = make_topic(title="Heart health", slug="heart-health")
    spanish_topic = _translate(topic, title="Salud del corazón")
    article = make_article(
        topic=topic,
        title="Measuring your blood pressure at home",
        slug="blood-pressure",
        summary="Check your blood pressure at home the right way.",
    )
    spanish_article = _translate(
        article,
        title="Cómo medir la presión arterial en casa",
        summary="Mida su presión arterial en casa de la forma correcta.",
        body=[("paragraph", "<p>Siéntese cinco minutos antes de medir.</p>")],
    )
    return {
        "topic": topic,
        "article": article,
        "es_topic": spanish_topic,
        "es_article": spanish_article,
    }


def test_navigation_footer_and_banner_are_spanish_on_the_spanish_site(client, heart):
    make_alert(
        title="Flu season: get your flu shot",
        title_es="Temporada de gripe: vacúnese",
        areas="All clinics",
        areas_es="Todas las clínicas",
    )
    text = _text(client.get(heart["es_article"].url))
    assert "Buscar temas de salud" in text
    assert "Actividades de EMC" in text
    assert "TeleCampus no es para emergencias" in text
    assert "Notificaciones en este dispositivo" in text
    assert "Notifications on this device" not in text
    assert "Aviso: Temporada de gripe: vacúnese" in text
    assert "Afecta a: Todas las clínicas" in text
    assert "Flu season" not in text
    english = _text(client.get(heart["article"].url))
    assert "Advisory: Flu season: get your flu shot" in english
    assert "Notifications on this device" in english


def test_the_footer_takes_a_spanish_reader_to_the_notifications_page_in_spanish(
    client, heart
):
    footer = BeautifulSoup(client.get(heart["es_article"].url).content, "html.parser")
    link = footer.find("a", string="Notificaciones en este dispositivo")
    notifications = _text(client.get(link["href"]))
    assert "Alertas de salud pública de todas las zonas" in notifications
    assert "Activar y guardar" in notifications
    assert "Turn on and save" not in notifications


def test_alert_without_spanish_wording_falls_back_to_english(client, heart):
    make_alert(title="Measles exposure at North clinic")
    assert "Aviso: Measles exposure at North clinic" in _text(client.get("/es/"))


def test_spanish_alert_feed_and_alert_page(client):
    alert = make_alert(title="Flu season", title_es="Temporada de gripe")
    feed = client.get("/es/alerts/feed.atom").content.decode()
    assert "Aviso: Temporada de gripe" in feed
    page = _text(client.get(f"/es/alerts/{alert.uuid}/"))
    assert "Temporada de gripe" in page


def test_subscribers_get_alert_emails_in_the_language_they_subscribed_in(
    client, patient, clinician, mailoutbox
):
    client.force_login(patient)
    client.post("/es/alerts/subscription/", {"subscribe": "1"})
    client.force_login(clinician)
    client.post("/alerts/subscription/", {"subscribe": "1"})
    assert AlertSubscription.objects.get(user=patient).language == "es"
    assert AlertSubscription.objects.get(user=clinician).language == "en"

    alert = make_alert(
        title="Flu season",
        title_es="Temporada de gripe",
        body_es="<p>Vacúnese contra la gripe.</p>",
        publish=False,
    )
    alert.save_revision().publish()
    mailoutbox.clear()
    assert services.notify_alert_subscribers(alert=alert) == 2
    by_person = {message.to[0]: message for message in mailoutbox}
    spanish = by_person[patient.email]
    assert spanish.subject == "Alerta de salud pública (Aviso): Temporada de gripe"
    assert "Vacúnese contra la gripe." in spanish.body
    assert f"/es/alerts/{alert.uuid}/" in spanish.body
    english = by_person[clinician.email]
    assert english.subject == "Public-health Advisory: Flu season"
    assert "Check that your vaccines are up to date." in english.body


def test_translation_is_flagged_when_the_english_source_changes_until_reviewed(
    client, heart
):
    notice = "Es posible que esta traducción no esté al día"
    assert notice not in _text(client.get(heart["es_article"].url))

    article = heart["article"]
    article.summary = "Check your blood pressure at home, twice a day."
    article.save_revision().publish()
    spanish = _text(client.get(heart["es_article"].url))
    assert notice in spanish
    assert "Leer la versión en inglés" in spanish

    # The translation is reviewed again and published: the notice goes.
    es_article = heart["es_article"]
    es_article.refresh_from_db()
    es_article.summary = "Mida su presión arterial en casa dos veces al día."
    es_article.save_revision().publish()
    assert notice not in _text(client.get(heart["es_article"].url))


def test_topic_translation_is_flagged_too(client, heart):
    topic = heart["topic"]
    topic.intro = "Blood pressure and cholesterol."
    topic.save_revision().publish()
    assert "no esté al día" in _text(client.get(heart["es_topic"].url))


def _result_titles(response) -> list[str]:
    soup = BeautifulSoup(response.content, "html.parser")
    return [a.get_text(strip=True) for a in soup.select(".article-list__item > a")]


def test_spanish_search_without_accents_finds_accented_words(client, heart):
    titles = _result_titles(client.get("/es/search/", {"q": "presion arterial"}))
    assert "Cómo medir la presión arterial en casa" in titles
    with_accents = _result_titles(client.get("/es/search/", {"q": "presión arterial"}))
    assert "Cómo medir la presión arterial en casa" in with_accents


def test_english_search_without_accents_finds_accented_words(client):
    make_article(
        topic=make_topic(title="Nutrition", slug="nutrition"),
        title="Coffee and your heart",
        summary="How much café au lait is fine each day.",
    )
    assert "Coffee and your heart" in _result_titles(
        client.get("/search/", {"q": "cafe"})
    )


def test_alert_search_ignores_accents(client):
    make_alert(title="Flu season", title_es="Vacunación contra la gripe")
    assert "Aviso: Vacunación contra la gripe" in _result_titles(
        client.get("/es/search/", {"q": "vacunacion"})
    )


def test_one_site_name_in_the_title(client, heart):
    home = BeautifulSoup(client.get("/").content, "html.parser")
    assert home.title.get_text() == "TeleCampus"
    article = BeautifulSoup(client.get(heart["article"].url).content, "html.parser")
    assert (
        article.title.get_text() == "Measuring your blood pressure at home · TeleCampus"
    )
