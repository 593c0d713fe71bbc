import datetime

import pytest
from django.utils import timezone

from courses import services
from courses.services.progress import merge_intervals, uncovered_parts
from tests.courses import factories

pytestmark = pytest.mark.django_db


def test_merge_joins_overlapping_and_touching_intervals():
    assert merge_intervals([(10, 20), (0, 5), (5, 8), (15, 30)]) == [(0, 8), (10, 30)]


def test_uncovered_parts_subtracts_what_was_watched():
    assert uncovered_parts((0, 30), [(5, 10), (20, 25)]) == [(0, 5), (10, 20), (25, 30)]


@pytest.fixture
def lecture(enrolment):
    return factories.lectures_of(enrolment.activity)[0]


def report(enrolment, lecture, segments, *, after: float, start=None):
    start = start or timezone.now()
    services.open_lecture(enrolment=enrolment, lecture=lecture, now=start)
    return services.report_progress(
        learner=enrolment.learner,
        enrolment_uuid=enrolment.uuid,
        lecture_uuid=lecture.uuid,
        segments=segments,
        now=start + datetime.timedelta(seconds=after),
    )


def test_replaying_the_same_segment_adds_nothing(enrolment, lecture):
    first = report(enrolment, lecture, [(0, 10)], after=10)
    again = report(enrolment, lecture, [(0, 10), (2, 8)], after=10)
    assert first.watched_seconds == again.watched_seconds == 10


def test_skipping_ahead_counts_only_what_was_played(enrolment, lecture):
    progress = report(enrolment, lecture, [(0, 2), (55, 60)], after=10)
    assert progress.watched_seconds == 7
    assert progress.completed_at is None


def test_reports_faster_than_real_time_are_clamped(enrolment, lecture, settings):
    settings.COURSES_MAX_PLAYBACK_RATE = 2
    # Five seconds after opening, at most (5 + 1 s of jitter) x 2 = 12 s of media.
    progress = report(enrolment, lecture, [(0, 60)], after=5)
    assert progress.watched_seconds == 12
    assert progress.intervals == [[0.0, 12.0]]


def test_a_long_pause_is_not_watching_time(enrolment, lecture, settings):
    settings.COURSES_MAX_PLAYBACK_RATE = 1
    settings.COURSES_MAX_REPORT_GAP_SECONDS = 30
    progress = report(enrolment, lecture, [(0, 60)], after=3600)
    assert progress.watched_seconds == 31


def test_reports_beyond_the_duration_are_clamped(enrolment, lecture, settings):
    settings.COURSES_MAX_PLAYBACK_RATE = 100
    progress = report(enrolment, lecture, [(-20, 10), (50, 500)], after=30)
    assert progress.intervals == [[0.0, 10.0], [50.0, 60.0]]


def test_lecture_completes_at_the_configured_share(enrolment, lecture, settings):
    settings.COURSES_MAX_PLAYBACK_RATE = 10
    almost = report(enrolment, lecture, [(0, 53)], after=30)
    assert almost.completed_at is None
    done = report(enrolment, lecture, [(53, 54)], after=30)
    assert done.completed_at is not None
    settings.COURSES_LECTURE_COMPLETE_PERCENT = 100
    other = factories.lectures_of(enrolment.activity)[1]
    ninety = report(enrolment, other, [(0, 54)], after=30)
    assert ninety.completed_at is None
