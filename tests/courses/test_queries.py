"""The catalogue and the dashboard run a constant number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses import services
from tests.courses import factories
from tests.courses.conftest import watch_all

pytestmark = pytest.mark.django_db


def build(numbers: range, learner) -> None:
    for number in numbers:
        page = factories.activity(f"Activity {number}", people=[])
        enrolment = services.enrol(learner=learner, activity=page)
        version, _text = services.enrolment.current_disclosure(page)
        services.acknowledge_disclosure(enrolment=enrolment, disclosure_version=version)
        watch_all(enrolment)


@pytest.mark.parametrize("name", ["courses:catalogue", "courses:dashboard"])
def test_query_count_does_not_grow_with_activities(
    client, clinician, name, django_assert_num_queries
):
    client.force_login(clinician)
    url = reverse(name)
    build(range(1), clinician)
    client.get(url)  # warm per-process caches (content types, site root)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    build(range(1, 5), clinician)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("Activity ") >= 5
