from django.urls import path

from courses.views import assessment, consent, learner, media

app_name = "courses"

_enrolment = "enrolments/<uuid:enrolment_uuid>/"
urlpatterns = [
    path("", learner.catalogue, name="catalogue"),
    path("dashboard/", learner.dashboard, name="dashboard"),
    path("board-reporting/", consent.board_reporting, name="board_reporting"),
    path("activities/<uuid:activity_uuid>/enrol/", learner.enrol, name="enrol"),
    path(_enrolment, learner.enrolment_home, name="enrolment"),
    path(f"{_enrolment}disclosure/", learner.gate, name="gate"),
    path(f"{_enrolment}attendance/", learner.attendance, name="attendance"),
    path(
        f"{_enrolment}lectures/<uuid:lecture_uuid>/",
        learner.lecture,
        name="lecture",
    ),
    path(
        f"{_enrolment}lectures/<uuid:lecture_uuid>/progress/",
        learner.progress,
        name="progress",
    ),
    path(
        f"{_enrolment}lectures/<uuid:lecture_uuid>/<str:kind>/",
        media.lecture_file,
        name="lecture_file",
    ),
    path(
        f"{_enrolment}lectures/<uuid:lecture_uuid>/documents/<int:index>/",
        media.lecture_document,
        name="lecture_document",
    ),
    path(f"{_enrolment}post-test/", assessment.post_test, name="post_test"),
    path(
        f"{_enrolment}post-test/<uuid:attempt_uuid>/",
        assessment.attempt,
        name="attempt",
    ),
    path(f"{_enrolment}evaluation/", assessment.evaluation, name="evaluation"),
    path(f"{_enrolment}claim/", assessment.claim, name="claim"),
]
