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
