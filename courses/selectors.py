"""Read-side queries shared by views, pages and exports (constant query counts)."""

import datetime
import functools
import operator
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, Sum
from django.utils import timezone
from wagtail.models import Collection, ReferenceIndex

from courses.models import (
    ActivityPage,
    CreditClaim,
    CreditType,
    Enrolment,
    LecturePage,
    LectureProgress,
)


def lectures_by_activity(activities: list[ActivityPage]) -> dict[int, list]:
    """Each activity's live lectures in tree order, in one query."""
    if not activities:
        return {}
    by_path = {activity.path: activity.pk for activity in activities}
    steplen = LecturePage.steplen
    found = (
        LecturePage.objects.live()
        .filter(
            functools.reduce(operator.or_, (Q(path__startswith=p) for p in by_path))
        )
        .order_by("path")
    )
    result: dict[int, list] = {activity.pk: [] for activity in activities}
    for lecture in found:
        parent_pk = by_path.get(lecture.path[:-steplen])
        if parent_pk is not None:
            result[parent_pk].append(lecture)
    return result


def percent(part: float, whole: float) -> int:
    return min(100, int(part * 100 / whole)) if whole else 0


def lecture_rows(enrolment: Enrolment, lectures: list, progress: dict) -> list[dict]:
    rows = []
    for lecture in lectures:
        done = progress.get((enrolment.pk, lecture.pk))
        watched = done.watched_seconds if done else 0
        rows.append(
            {
                "lecture": lecture,
                "percent": percent(watched, lecture.duration_seconds),
                "complete": bool(done and done.completed_at),
            }
        )
    return rows


def activity_percent(rows: list[dict]) -> int:
    total = sum(row["lecture"].duration_seconds for row in rows)
    watched = sum(row["percent"] * row["lecture"].duration_seconds for row in rows)
    return int(watched / total) if total else 0


def dashboard_enrolments(learner) -> list[dict]:
    """The learner's enrolments with per-lecture and per-activity progress."""
    enrolments = list(
        Enrolment.objects.for_learner(learner)
        .select_related("activity")
        .order_by("status", "-enrolled_at")
    )
    lectures = lectures_by_activity([e.activity for e in enrolments])
    progress = {
        (row.enrolment_id, row.lecture_id): row
        for row in LectureProgress.objects.filter(enrolment__learner=learner).only(
            "enrolment_id", "lecture_id", "watched_seconds", "completed_at"
        )
    }
    items = []
    for enrolment in enrolments:
        rows = lecture_rows(enrolment, lectures[enrolment.activity_id], progress)
        items.append(
            {
                "enrolment": enrolment,
                "lectures": rows,
                "percent": 100 if enrolment.is_complete else activity_percent(rows),
            }
        )
    return items


def credits_this_year(learner, *, today: datetime.date | None = None) -> list[tuple]:
    """(credit type label, total) for claims made this calendar year."""
    today = today or timezone.localdate()
    totals = (
        CreditClaim.objects.filter(
            enrolment__learner=learner, claimed_at__year=today.year
        )
        .values("credit_type")
        .annotate(total=Sum("amount"))
        .order_by("credit_type")
    )
    return [
        (CreditType(row["credit_type"]).label, row["total"] or Decimal(0))
        for row in totals
    ]


def enrolment_lecture_rows(enrolment: Enrolment) -> list[dict]:
    lectures = lectures_by_activity([enrolment.activity])[enrolment.activity_id]
    progress = {
        (row.enrolment_id, row.lecture_id): row
        for row in LectureProgress.objects.filter(enrolment=enrolment)
    }
    return lecture_rows(enrolment, lectures, progress)


def enrolment_for_activity(learner, activity: ActivityPage) -> Enrolment | None:
    if not learner.is_authenticated:
        return None
    return Enrolment.objects.filter(learner=learner, activity=activity).first()


CME_COLLECTION_NAME = "CME lecture files"


def cme_collection():
    """The Wagtail collection for lecture files, created under the root on first use.

    Documents in it (or below it) are never served by Wagtail's public document view;
    courses.views.media serves them after its enrolment and gate checks.
    """
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=CME_COLLECTION_NAME).first()
    return existing or root.add_child(name=CME_COLLECTION_NAME)


def is_cme_document(document) -> bool:
    """True for a lecture file: in the CME collection or used by a lecture.

    Checks the collection, the lecture's video and slides, and (through Wagtail's
    reference index) the lecture's documents stream, so that a file filed in the wrong
    collection is still protected.
    """
    collection = document.collection
    if collection.name == CME_COLLECTION_NAME or (
        collection.get_ancestors().filter(name=CME_COLLECTION_NAME).exists()
    ):
        return True
    if LecturePage.objects.filter(Q(video=document) | Q(slides=document)).exists():
        return True
    return (
        ReferenceIndex.get_references_to(document)
        .filter(content_type=ContentType.objects.get_for_model(LecturePage))
        .exists()
    )
