import uuid

import pytest

from courses import services
from courses.models import PostTestAttempt
from courses.services import CourseRuleError
from courses.services.post_test import shuffled_questions
from tests.concurrency import run_at_once
from tests.courses.conftest import right_answers, watch_all

pytestmark = pytest.mark.django_db


def submit(enrolment, answers, token=None):
    return services.submit_post_test(
        enrolment=enrolment, token=token or uuid.uuid4(), answers=answers
    )


def test_post_test_is_locked_until_every_lecture_is_complete(enrolment):
    with pytest.raises(CourseRuleError) as refused:
        submit(enrolment, right_answers(enrolment))
    assert refused.value.code == "post_test_locked"
    watch_all(enrolment)
    assert submit(enrolment, right_answers(enrolment)).passed


def test_failed_and_passed_attempts_are_all_stored(enrolment):
    watch_all(enrolment)
    failed = submit(enrolment, right_answers(enrolment, wrong=True))
    passed = submit(enrolment, right_answers(enrolment))
    assert (failed.number, failed.passed, failed.score_percent) == (1, False, 0)
    assert (passed.number, passed.passed, passed.score_percent) == (2, True, 100)
    assert enrolment.attempts.count() == 2


def test_pass_mark_applies(enrolment):
    watch_all(enrolment)
    answers = right_answers(enrolment)
    first_question = next(iter(answers))
    answers[first_question] = right_answers(enrolment, wrong=True)[first_question][:1]
    half = submit(enrolment, answers)
    assert half.score_percent == 50
    assert not half.passed


def test_a_multiple_choice_question_needs_every_correct_answer(enrolment):
    watch_all(enrolment)
    answers = right_answers(enrolment)
    multiple = next(
        qid
        for qid, q in enrolment.activity.question_blocks.items()
        if q["kind"] == "multiple"
    )
    answers[multiple] = answers[multiple][:1]
    assert submit(enrolment, answers).correct_count == 1


def test_attempts_are_limited(enrolment):
    watch_all(enrolment)
    for _ in range(enrolment.activity.max_attempts):
        submit(enrolment, right_answers(enrolment, wrong=True))
    with pytest.raises(CourseRuleError) as refused:
        submit(enrolment, right_answers(enrolment))
    assert refused.value.code == "no_attempts_left"


def test_no_attempt_after_passing(enrolment):
    watch_all(enrolment)
    submit(enrolment, right_answers(enrolment))
    with pytest.raises(CourseRuleError) as refused:
        submit(enrolment, right_answers(enrolment))
    assert refused.value.code == "already_passed"


def test_the_same_form_submitted_twice_is_one_attempt(enrolment):
    watch_all(enrolment)
    token = uuid.uuid4()
    first = submit(enrolment, right_answers(enrolment, wrong=True), token)
    second = submit(enrolment, right_answers(enrolment, wrong=True), token)
    assert first.pk == second.pk
    assert enrolment.attempts.count() == 1


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (
            lambda answers: answers.update({str(uuid.uuid4()): ["x"]}),
            "unknown_question",
        ),
        (
            lambda answers: answers.update({next(iter(answers)): ["x"]}),
            "unknown_answer",
        ),
        (lambda answers: answers.pop(next(iter(answers))), "unanswered"),
    ],
)
def test_answers_that_do_not_fit_the_test_are_refused(enrolment, change, code):
    watch_all(enrolment)
    answers = right_answers(enrolment)
    change(answers)
    with pytest.raises(CourseRuleError) as refused:
        submit(enrolment, answers)
    assert refused.value.code == code
    assert refused.value.status == 400
    assert not enrolment.attempts.exists()


def test_single_choice_takes_one_answer(enrolment):
    watch_all(enrolment)
    answers = right_answers(enrolment)
    single = next(
        qid
        for qid, q in enrolment.activity.question_blocks.items()
        if q["kind"] == "single"
    )
    answers[single] = [
        c["id"] for c in enrolment.activity.question_blocks[single]["choices"]
    ]
    with pytest.raises(CourseRuleError) as refused:
        submit(enrolment, answers)
    assert refused.value.code == "one_answer"


def test_questions_are_shuffled_and_carry_no_answer_key(enrolment):
    orders = {
        tuple(
            (q["id"], tuple(c["id"] for c in q["choices"]))
            for q in shuffled_questions(enrolment)
        )
        for _ in range(40)
    }
    assert len(orders) > 1
    for question in shuffled_questions(enrolment):
        assert all(set(choice) == {"id", "text"} for choice in question["choices"])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_identical_simultaneous_submissions_count_once(enrolment):
    watch_all(enrolment)
    token = uuid.uuid4()
    answers = right_answers(enrolment, wrong=True)
    results = run_at_once([lambda: submit(enrolment, answers, token).pk] * 2)
    assert len(results) == 2
    assert len(set(results)) == 1
    assert PostTestAttempt.objects.filter(enrolment=enrolment).count() == 1


@pytest.mark.parametrize(
    ("rule", "after_fail", "after_last_fail", "after_pass"),
    [
        ("never", False, False, False),
        ("after_passing", False, False, True),
        ("after_last_attempt", False, True, True),
    ],
)
def test_answers_are_revealed_by_the_activity_setting(
    enrolment, rule, after_fail, after_last_fail, after_pass
):
    from courses.services.post_test import answers_revealed

    activity = enrolment.activity
    activity.reveal_answers = rule
    activity.max_attempts = 2
    activity.save()
    watch_all(enrolment)
    submit(enrolment, right_answers(enrolment, wrong=True))
    assert answers_revealed(enrolment) is after_fail
    if rule == "after_passing":
        assert submit(enrolment, right_answers(enrolment)).passed
        assert answers_revealed(enrolment) is after_pass
        return
    submit(enrolment, right_answers(enrolment, wrong=True))
    assert answers_revealed(enrolment) is after_last_fail


def test_the_default_is_after_passing(activity_page):
    assert activity_page.reveal_answers == "after_passing"


def test_the_select_all_hint_is_said_once(enrolment, learner_client_for):
    watch_all(enrolment)
    page = learner_client_for(enrolment).get(
        f"/courses/enrolments/{enrolment.uuid}/post-test/"
    )
    text = page.content.decode()
    assert text.count("Select all that apply.") == 1
    assert "(select all that apply)" not in text
