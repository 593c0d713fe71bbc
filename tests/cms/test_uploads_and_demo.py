import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.images.forms import get_image_form

from cms.models import Alert, ArticlePage, TopicIndexPage

pytestmark = pytest.mark.django_db


def _png(width: int, height: int) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), "white").save(buffer, "PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")


def _image_form(upload):
    form_class = get_image_form(get_image_model())
    return form_class({"title": "Photo"}, {"file": upload}, user=None)


def test_image_above_the_size_limit_is_refused_naming_the_limit(settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 1024
    form = _image_form(_png(400, 400))
    assert not form.is_valid()
    assert "1.0\xa0KB" in " ".join(form.errors["file"])


def test_image_above_the_pixel_limit_is_refused_naming_the_limit(settings):
    settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS = 100
    form = _image_form(_png(20, 20))
    assert not form.is_valid()
    assert "Maximum pixels 100." in " ".join(form.errors["file"])


def test_seed_demo_builds_the_library_once(settings, client):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)
    english = ArticlePage.objects.live().filter(locale__language_code="en")
    spanish = ArticlePage.objects.live().filter(locale__language_code="es")
    assert english.count() == 6
    # Every topic and every article exists in both languages, as a translation.
    assert spanish.count() == 6
    assert {a.translation_key for a in spanish} == {a.translation_key for a in english}
    topics = TopicIndexPage.objects.live()
    assert topics.filter(locale__language_code="en").count() == 6
    assert sorted(
        topics.filter(locale__language_code="es").values_list("translation_key")
    ) == sorted(
        topics.filter(locale__language_code="en").values_list("translation_key")
    )

    # ...and reads in Spanish: no title is the English one copied over.
    def titles(queryset, code: str) -> set[str]:
        return set(
            queryset.filter(locale__language_code=code).values_list("title", flat=True)
        )

    assert titles(topics, "es").isdisjoint(titles(topics, "en"))
    assert titles(ArticlePage.objects.live(), "es").isdisjoint(
        titles(ArticlePage.objects.live(), "en")
    )
    assert all(article.reviewed_by.username == "reviewer" for article in english)
    assert all(article.reading_grade <= 8 for article in english)
    assert Alert.objects.active().count() == 1
    response = client.get("/search/", {"q": "blood pressure"})
    assert "Measuring your blood pressure at home" in response.content.decode()
    home = client.get("/").content.decode()
    assert "Flu season: get your flu shot" in home
