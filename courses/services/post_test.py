"""The post-test: unlocking, shuffled presentation, scoring and stored attempts.

Called by courses' post-test views. Two identical submissions (same form token)
count once: the enrolment row is locked while an attempt is numbered and saved.
"""

import math
import secrets
import uuid

from django.db import transaction
from django.utils.translation import gettext as _

from courses.models import (
    Enrolment,
    LecturePage,
    LectureProgress,
    PostTestAttempt,
    RevealAnswers,
)
from courses.services.errors import CourseRuleError

_shuffler = secrets.SystemRandom()


def lectures_complete(enrolment: Enrolment) -> bool:
    lecture_ids = set(
        LecturePage.objects.child_of(enrolment.activity)
        .live()
        .values_list("pk", flat=True)
    )
    completed = set(
        LectureProgress.objects.filter(
            enrolment=enrolment, lecture_id__in=lecture_ids, completed_at__isnull=False
        ).values_list("lecture_id", flat=True)
    )
    return completed == lecture_ids


def has_post_test(enrolment: Enrolment) -> bool:
    return bool(enrolment.activity.question_blocks)


def has_passed(enrolment: Enrolment) -> bool:
    """Passed the post-test; an activity without one counts once lectures are done."""
    if not has_post_test(enrolment):
        return lectures_complete(enrolment)
    return enrolment.attempts.filter(passed=True).exists()


def attempts_left(enrolment: Enrolment) -> int:
    return max(0, enrolment.activity.max_attempts - enrolment.attempts.count())


def shuffled_questions(enrolment: Enrolment) -> list[dict]:
    """The questions and their answers in a fresh random order, without the key."""
    questions = []
    for question in enrolment.activity.question_blocks.values():
        choices = [
            {"id": choice["id"], "text": choice["text"]}
            for choice in question["choices"]
        ]
        _shuffler.shuffle(choices)
        questions.append({**question, "choices": choices})
    _shuffler.shuffle(questions)
    return questions


def new_form_token() -> uuid.UUID:
    return uuid.uuid4()


def _validated_answers(
    questions: dict[str, dict], answers: dict[str, list[str]]
) -> dict[str, list[str]]:
    unknown = set(answers) - set(questions)
    if unknown:
        raise CourseRuleError(
            "unknown_question",
            _("The answers refer to a question that is not in this test."),
        )
    for question_id, question in questions.items():
        chosen = answers.get(question_id) or []
        valid_ids = {choice["id"] for choice in question["choices"]}
        if not chosen:
            raise CourseRuleError(
                "unanswered", _("Please answer every question before submitting.")
            )
        if not set(chosen) <= valid_ids:
            raise CourseRuleError(
                "unknown_answer",
                _("An answer does not belong to its question in this test."),
            )
        if question["kind"] == "single" and len(chosen) != 1:
            raise CourseRuleError(
                "one_answer",
                _("Choose exactly one answer for single-choice questions."),
            )
    return {qid: sorted(set(answers[qid])) for qid in questions}


def score(questions: dict[str, dict], answers: dict[str, list[str]]) -> int:
    """Questions answered exactly right (all correct answers, no wrong ones)."""
    return sum(
        set(answers[qid]) == {c["id"] for c in q["choices"] if c["correct"]}
        for qid, q in questions.items()
    )


@transaction.atomic
def submit_post_test(
    *, enrolment: Enrolment, token: uuid.UUID, answers: dict[str, list[str]]
) -> PostTestAttempt:
    """Score and store one attempt; a repeated token returns the stored attempt."""
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    existing = enrolment.attempts.filter(token=token).first()
    if existing:
        return existing
    questions = enrolment.activity.question_blocks
    if not questions:
        raise CourseRuleError(
            "no_post_test", _("This activity has no post-test."), status=404
        )
    if not lectures_complete(enrolment):
        raise CourseRuleError(
            "post_test_locked",
            _("The post-test unlocks when you have completed every lecture."),
            status=403,
        )
    if enrolment.attempts.filter(passed=True).exists():
        raise CourseRuleError(
            "already_passed", _("You have already passed this post-test."), status=409
        )
    if attempts_left(enrolment) == 0:
        raise CourseRuleError(
            "no_attempts_left",
            _("You have used all %(count)d attempts allowed for this post-test.")
            % {"count": enrolment.activity.max_attempts},
            status=403,
        )
    answers = _validated_answers(questions, answers)
    correct = score(questions, answers)
    percent = math.floor(correct * 100 / len(questions))
    return PostTestAttempt.objects.create(
        enrolment=enrolment,
        number=enrolment.attempts.count() + 1,
        token=token,
        answers=answers,
        question_count=len(questions),
        correct_count=correct,
        score_percent=percent,
        passed=percent >= enrolment.activity.pass_mark,
    )


def answers_revealed(enrolment: Enrolment) -> bool:
    """May this learner see the correct answers and rationales (the activity's
    reveal_answers setting)? Hidden on a failed attempt by default, so that the
    retake still tests what the learner knows."""
    rule = enrolment.activity.reveal_answers
    if rule == RevealAnswers.NEVER:
        return False
    passed = enrolment.attempts.filter(passed=True).exists()
    if rule == RevealAnswers.AFTER_LAST_ATTEMPT:
        return passed or attempts_left(enrolment) == 0
    return passed


def attempt_review(attempt: PostTestAttempt) -> list[dict]:
    """Each question with the learner's answers, the correct ones and the rationale.

    Show the correct answers and rationales only when answers_revealed() allows;
    otherwise only the prompt and whether the learner got it right."""
    questions = attempt.enrolment.activity.question_blocks
    review = []
    for question_id, chosen in attempt.answers.items():
        question = questions.get(question_id)
        if question is None:
            continue
        correct_ids = {c["id"] for c in question["choices"] if c["correct"]}
        review.append(
            {
                "prompt": question["prompt"],
                "rationale": question["rationale"],
                "is_correct": set(chosen) == correct_ids,
                "choices": [
                    {
                        "text": choice["text"],
                        "chosen": choice["id"] in chosen,
                        "correct": choice["correct"],
                    }
                    for choice in question["choices"]
                ],
            }
        )
    return review
