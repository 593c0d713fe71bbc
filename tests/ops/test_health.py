from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from django_q.models import Schedule
from django_q.tasks import async_task

from ops.services import HEARTBEAT_FUNC, HEARTBEAT_SCHEDULE_NAME

pytestmark = pytest.mark.django_db


def test_heartbeat_schedule_exists_after_migrate():
    schedule = Schedule.objects.get(name=HEARTBEAT_SCHEDULE_NAME)
    assert schedule.func == HEARTBEAT_FUNC
    assert schedule.schedule_type == Schedule.MINUTES
    assert schedule.minutes == 1


def test_without_a_worker_heartbeat_health_is_503_and_names_the_worker(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["worker"]
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["cache"]["ok"] is True
    assert "worker" in body["checks"]["worker"]["error"]


def test_a_fresh_heartbeat_makes_health_200(client):
    # Tests run django-q2 synchronously: this goes through the real task machinery
    # and stores a Success row like the worker does.
    async_task(HEARTBEAT_FUNC)
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["worker"]["last_heartbeat_age_seconds"] <= 5


def test_a_stopped_worker_turns_health_503_within_three_minutes(client):
    async_task(HEARTBEAT_FUNC)
    with time_machine.travel(timezone.now() + timedelta(minutes=3), tick=False):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["worker"]


def test_health_is_never_cached(client):
    response = client.get("/healthz")
    assert (
        "no-cache" in response["Cache-Control"]
        or "max-age=0" in response["Cache-Control"]
    )


def test_health_names_the_node_that_answered(client, settings):
    settings.NODE_NAME = "web2"
    assert client.get("/healthz").json()["node"] == "web2"
