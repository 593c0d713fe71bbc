"""Private files are never served as plain media, in any mode (issue 13, #5).

Under `make run` (DEBUG=1) every file under MEDIA_ROOT used to answer anonymous
GETs, which skipped visits' access policy, certificates' owner check and the CME
enrolment and disclosure gate. Only Wagtail's image renditions are public now, and
stored paths carry a random part that no URL, email or file name reveals.
"""

import importlib
import io
import uuid
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import clear_url_caches
from PIL import Image

import config.urls
from certificates.models import _pdf_path
from courses.demo import demo_recording
from visits.services.sharing import store_document

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def debug_urls(settings):
    """The URLconf as `make run` builds it (DEBUG is read when urls.py loads)."""
    settings.DEBUG = True
    importlib.reload(config.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(config.urls)
    clear_url_caches()


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def _media_get(path: str):
    return Client().get("/media/" + path)


def test_a_clinical_image_is_not_served_to_anyone_as_media(
    debug_urls, patient, clinician
):
    document = store_document(
        patient=patient,
        uploaded_by=clinician,
        title="Rash",
        upload=SimpleUploadedFile("rash.png", _png()),
    )
    assert document.file.name.startswith("visits/documents/")
    assert _media_get(document.file.name).status_code == 404
    # serve() would normalise this into the private folder.
    sneaky = "images/../" + document.file.name
    assert _media_get(sneaky).status_code == 404


def test_certificates_and_lecture_recordings_are_not_served_as_media(debug_urls):
    pdf = default_storage.save("certificates/ab/certificate.pdf", ContentFile(b"%PDF"))
    recording = demo_recording()
    assert _media_get(pdf).status_code == 404
    assert _media_get(recording.file.name).status_code == 404
    # Wagtail's own document view applies its rules: CME files only via courses.
    assert Client().get(recording.url).status_code == 404


def test_image_renditions_stay_public_under_make_run(debug_urls):
    name = default_storage.save("images/banner.max-800x600.png", ContentFile(_png()))
    response = _media_get(name)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == _png()


def test_stored_paths_cannot_be_guessed():
    from certificates.models import _transcript_path  # new with this fix

    recording = demo_recording()
    assert recording.file.name != "documents/demo-lecture.wav"
    folder, name = recording.file.name.removeprefix("documents/").split("/")
    assert name == "demo-lecture.wav" and len(folder) >= 16
    assert recording.filename == "demo-lecture.wav"

    certificate = SimpleNamespace(uuid=uuid.uuid4())
    paths = {_pdf_path(certificate, "certificate.pdf") for _ in range(2)}
    assert len(paths) == 2
    assert not any(certificate.uuid.hex[:8] in p for p in paths)
    transcript = SimpleNamespace(uuid=uuid.uuid4())
    stored = _transcript_path(transcript, f"{transcript.uuid}.pdf")
    assert str(transcript.uuid) not in stored
    assert stored.startswith("transcripts/") and stored.endswith(".pdf")
