import datetime

import pytest
from django.utils import timezone

from courses import services
from courses.models import ActivityPage, Enrolment
from tests.courses import factories


@pytest.fixture
def activity_page(db) -> ActivityPage:
    return factories.activity()


@pytest.fixture
def enrolment(activity_page, clinician) -> Enrolment:
    enrolment = services.enrol(learner=clinician, activity=activity_page)
    version, _text = services.enrolment.current_disclosure(activity_page)
    services.acknowledge_disclosure(enrolment=enrolment, disclosure_version=version)
    return enrolment


def watch_all(enrolment: Enrolment) -> None:
    """Watch every lecture in real time, ten seconds per report."""
    now = timezone.now()
    for lecture in factories.lectures_of(enrolment.activity):
        services.open_lecture(enrolment=enrolment, lecture=lecture, now=now)
        for start in range(0, lecture.duration_seconds, 10):
            now += datetime.timedelta(seconds=10)
            services.report_progress(
                learner=enrolment.learner,
                enrolment_uuid=enrolment.uuid,
                lecture_uuid=lecture.uuid,
                segments=[(start, start + 10)],
                now=now,
            )


def right_answers(enrolment: Enrolment, *, wrong: bool = False) -> dict:
    answers = {}
    for question_id, question in enrolment.activity.question_blocks.items():
        answers[question_id] = [
            choice["id"] for choice in question["choices"] if choice["correct"] != wrong
        ]
    return answers


def pass_post_test(enrolment: Enrolment):
    return services.submit_post_test(
        enrolment=enrolment,
        token=services.post_test.new_form_token(),
        answers=right_answers(enrolment),
    )


def evaluate(enrolment: Enrolment):
    return services.submit_evaluation(
        enrolment=enrolment,
        objectives_met=5,
        relevance=4,
        quality=4,
        free_of_bias=True,
        comments="Clear and practical.",
        commitment_to_change="I will ask patients for home blood pressure logs.",
    )


@pytest.fixture
def ready_to_claim(enrolment) -> Enrolment:
    watch_all(enrolment)
    pass_post_test(enrolment)
    evaluate(enrolment)
    return enrolment


@pytest.fixture
def learner_client_for(client):
    def signed_in(enrolment: Enrolment):
        client.force_login(enrolment.learner)
        return client

    return signed_in
