"""Lecture progress from evidence: merged unique watched intervals per learner.

The lecture player (static/js/courses/player.js) posts the ranges it played every
few seconds; the progress view calls report_progress. Replays add nothing, skipped
parts are never reported, and reports faster than real time (times the largest
playback rate we believe) or beyond the lecture's duration are clamped.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from courses.models import Enrolment, LecturePage, LectureProgress

Interval = tuple[float, float]


def merge_intervals(intervals: list[Interval]) -> list[Interval]:
    """Sorted, non-overlapping intervals; touching ones are joined."""
    merged: list[list[float]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def total_seconds(intervals: list[Interval]) -> float:
    return sum(end - start for start, end in intervals)


def uncovered_parts(segment: Interval, covered: list[Interval]) -> list[Interval]:
    """The parts of `segment` not inside any of the (merged) `covered` intervals."""
    start, end = segment
    parts = []
    for covered_start, covered_end in covered:
        if covered_end <= start or covered_start >= end:
            continue
        if covered_start > start:
            parts.append((start, covered_start))
        start = max(start, covered_end)
        if start >= end:
            break
    if start < end:
        parts.append((start, end))
    return parts


def clamp_segments(segments: list[Interval], duration: float) -> list[Interval]:
    clamped = []
    for start, end in segments:
        start, end = max(0.0, float(start)), min(float(duration), float(end))
        if end > start:
            clamped.append((start, end))
    return clamped


def watching_budget(progress: LectureProgress, now: datetime.datetime) -> float:
    """Seconds of new media time the learner can have watched since the last report."""
    reference = progress.last_report_at or now
    elapsed = max(0.0, (now - reference).total_seconds())
    # A long pause is not watching time; one extra second absorbs timer jitter.
    elapsed = min(elapsed, settings.COURSES_MAX_REPORT_GAP_SECONDS) + 1.0
    return elapsed * settings.COURSES_MAX_PLAYBACK_RATE


def completion_threshold(lecture: LecturePage) -> float:
    return lecture.duration_seconds * settings.COURSES_LECTURE_COMPLETE_PERCENT / 100


def open_lecture(
    *, enrolment: Enrolment, lecture: LecturePage, now: datetime.datetime | None = None
) -> LectureProgress:
    """Start the watching clock when the learner opens the lecture player."""
    now = now or timezone.now()
    progress, created = LectureProgress.objects.get_or_create(
        enrolment=enrolment, lecture=lecture, defaults={"last_report_at": now}
    )
    if not created:
        LectureProgress.objects.filter(pk=progress.pk).update(last_report_at=now)
        progress.last_report_at = now
    return progress


@transaction.atomic
@transaction.atomic
def report_progress(
    *,
    learner,
    enrolment_uuid,
    lecture_uuid,
    segments: list[Interval],
    now: datetime.datetime | None = None,
) -> LectureProgress | None:
    """The player's report, found and locked in one query; None if not the learner's.

    The lecture player calls this on every report, so it is kept to one locked read
    and one write.
    """
    locked = (
        LectureProgress.objects.select_for_update(of=("self",))
        .select_related("lecture")
        .filter(
            enrolment__uuid=enrolment_uuid,
            enrolment__learner=learner,
            lecture__uuid=lecture_uuid,
        )
        .first()
    )
    if locked is None:
        return None
    return _merge_report(locked, segments, now or timezone.now())


def _merge_report(
    progress: LectureProgress, segments: list[Interval], now: datetime.datetime
) -> LectureProgress:
    lecture = progress.lecture
    covered = [tuple(pair) for pair in progress.intervals]
    budget = watching_budget(progress, now)
    accepted: list[Interval] = []
    for segment in clamp_segments(segments, lecture.duration_seconds):
        for start, end in uncovered_parts(segment, merge_intervals(covered + accepted)):
            if budget <= 0:
                break
            end = min(end, start + budget)
            budget -= end - start
            accepted.append((start, end))
    progress.intervals = [list(pair) for pair in merge_intervals(covered + accepted)]
    progress.watched_seconds = total_seconds(progress.intervals)
    progress.last_report_at = now
    if not progress.completed_at and progress.watched_seconds >= completion_threshold(
        lecture
    ):
        progress.completed_at = now
    progress.save(
        update_fields=["intervals", "watched_seconds", "last_report_at", "completed_at"]
    )
    return progress
