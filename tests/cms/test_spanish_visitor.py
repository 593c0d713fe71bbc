"""A Spanish-speaking visitor, in a real browser, reaching an article by clicking."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
from wagtail.models import Locale

from tests.browser.helpers import serious_violations
from tests.cms.factories import make_alert, make_article, make_topic

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.browser,
]

SHOTS = Path("/tmp/shots-cmses")  # noqa: S108 - screenshots for people to look at


def _translate(page, **spanish):
    translated = page.copy_for_translation(Locale.objects.get(language_code="es"))
    for name, value in spanish.items():
        setattr(translated, name, value)
    translated.save_revision().publish()
    return translated


@pytest.fixture
def spanish_library(reviewer):
    topic = make_topic(title="Heart health", slug="heart-health", featured=True)
    _translate(topic, title="Salud del corazón", intro="Presión arterial y hábitos.")
    article = make_article(
        topic=topic,
        title="Measuring your blood pressure at home",
        slug="blood-pressure",
        reviewed_by=reviewer,
    )
    _translate(
        article,
        title="Cómo medir la presión arterial en casa",
        summary="Mida su presión arterial en casa de la forma correcta.",
        body=[
            ("paragraph", "<p>Siéntese y descanse cinco minutos antes de medir.</p>"),
            (
                "table",
                {
                    "data": [
                        ["Número de arriba", "Número de abajo", "Qué significa"],
                        ["Menos de 120", "Menos de 80", "Normal"],
                        ["140 o más", "90 o más", "Alta, etapa 2"],
                    ],
                    "first_row_is_table_header": True,
                    "first_col_is_header": False,
                    "table_caption": "Cifras de presión arterial en adultos",
                },
            ),
        ],
    )
    make_alert(
        title="Flu season: get your flu shot",
        title_es="Temporada de gripe: vacúnese contra la gripe",
        areas="All clinics",
        areas_es="Todas las clínicas",
    )


def test_spanish_visitor_reads_a_translated_article_under_the_spanish_banner(
    page, live_server, spanish_library
):
    page.set_default_timeout(15_000)
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="Language").get_by_role(
        "link", name="Español"
    ).click()
    expect(page.get_by_role("link", name="Buscar temas de salud")).to_be_visible()
    page.get_by_role("link", name="Salud del corazón").first.click()
    page.get_by_role("link", name="Cómo medir la presión arterial en casa").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Cómo medir la presión arterial en casa"
    )
    banner = page.get_by_role("region", name="Alertas de salud pública")
    expect(banner).to_contain_text(
        "Aviso: Temporada de gripe: vacúnese contra la gripe"
    )
    expect(banner).to_contain_text("Afecta a: Todas las clínicas")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_text("TeleCampus no es para emergencias")).to_be_visible()
    assert serious_violations(page) == []

    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "spanish-article-1280.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(SHOTS / "spanish-article-390.png"), full_page=True)
    assert serious_violations(page) == []

    # Pages outside the cms (the sign-in page here) show the same styled banner.
    # (Sign-in lives outside /es/, so it may speak the browser's language.)
    page.get_by_role("link", name="Iniciar sesión").click()
    banner = page.get_by_role(
        "region", name=re.compile("Alertas de salud pública|Public-health alerts")
    )
    expect(banner).to_contain_text(re.compile("Temporada de gripe|Flu season"))
    edge = banner.locator(".alert").first.evaluate(
        "element => getComputedStyle(element).borderLeftWidth"
    )
    assert edge == "6px"
    page.screenshot(path=str(SHOTS / "spanish-sign-in-390.png"), full_page=True)
