"""The lecture player's progress endpoint refuses hostile bodies with a 400 (#3)."""

import pytest
from django.test import Client
from django.urls import reverse

from courses.models import LectureProgress
from tests.courses import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def progress_url(enrolment, clinician):
    lecture = factories.lectures_of(enrolment.activity)[0]
    client = Client(raise_request_exception=False)
    client.force_login(clinician)
    opened = client.get(reverse("courses:lecture", args=[enrolment.uuid, lecture.uuid]))
    assert opened.status_code == 200
    return client, reverse("courses:progress", args=[enrolment.uuid, lecture.uuid])


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('{"segments": ' + "[" * 5000 + "]" * 5000 + "}", "nested too deeply"),
        ('{"segments": [[0, ' + "9" * 5000 + "]]}", "too long"),
        ('{"segments": [[0, NaN]]}', "not a number"),
        ('{"segments": [[0, 1e400]]}', "not understood"),
        ('{"segments": [[0, 1, 2]]}', "not understood"),
        ('{"segments": [5]}', "not understood"),
        ("[]", "not understood"),
        ('{"segments": []' + " " * 70_000 + "}", "too large"),
    ],
)
def test_hostile_progress_reports_are_a_400(progress_url, body, expected):
    client, url = progress_url
    response = client.post(url, data=body, content_type="application/json")
    assert response.status_code == 400
    assert expected in response.json()["error"]
    progress = LectureProgress.objects.get()
    assert progress.watched_seconds == 0


@pytest.mark.parametrize("target", ["Fuzz", "courses:dashboard", "-1e400", "x" * 300])
def test_gate_next_that_is_not_a_path_goes_to_the_enrolment(
    clinician, enrolment, target
):
    """Found by the fuzz: redirect() took a bare word for a URL name (500)."""
    from courses import services

    client = Client(raise_request_exception=False)
    client.force_login(clinician)
    version = services.enrolment.current_disclosure(enrolment.activity)[0]
    gate = reverse("courses:gate", args=[enrolment.uuid])
    response = client.post(
        gate, {"disclosure_version": version, "acknowledged": "on", "next": target}
    )
    assert response.status_code == 302
    assert response.url == reverse("courses:enrolment", args=[enrolment.uuid])
