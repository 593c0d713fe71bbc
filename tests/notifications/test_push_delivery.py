"""Pushes reach a push service encrypted for the device and signed with VAPID (#17).

The push service is a real HTTP server on loopback (tests/notifications/
push_service.py); each body is decrypted with the browser's own keys.
"""

import time

import pytest
from django.conf import settings
from django.utils import timezone

from accounts.leaving import deactivate_person
from accounts.roles import Role
from notifications import topics
from notifications.models import PushMessage, PushSubscription
from notifications.services import (
    PushContent,
    notify_people,
    notify_topic,
    save_subscription,
    send_due_pushes,
)
from notifications.vapid import application_server_key
from tests.concurrency import run_at_once
from tests.conftest import make_person
from tests.notifications.push_service import (
    BrowserKeys,
    start_push_service,
    vapid_claims,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def push_service():
    service = start_push_service()
    yield service
    service.server.shutdown()


def _subscribe(service, name, *, user=None, chosen=(topics.VISIT_REMINDERS,), **extra):
    keys = BrowserKeys.new()
    subscription = save_subscription(
        user=user,
        endpoint=service.endpoint(name),
        p256dh=keys.p256dh,
        auth=keys.auth,
        topics=chosen,
        allowed_topics=chosen,
        **extra,
    )
    return subscription, keys


REMINDER = PushContent(
    title="Your video visit is soon",
    body="It starts at 10:30.",
    url="/visits/",
    tag="visit-1",
    private_detail="Amlodipine 5 mg",
)


def test_a_push_is_encrypted_for_the_device_and_signed_with_our_key(
    push_service, patient, django_capture_on_commit_callbacks
):
    _subscription, keys = _subscribe(push_service, "phone", user=patient)

    with django_capture_on_commit_callbacks(execute=True):
        owed = notify_people(
            users=[patient],
            topic=topics.VISIT_REMINDERS,
            dedupe_key="visit-reminder:1",
            content=REMINDER,
        )

    assert owed == 1
    [request] = push_service.received
    assert request.path == "/push/phone"
    assert request.headers["content-encoding"] == "aes128gcm"
    assert int(request.headers["ttl"]) == 24 * 60 * 60
    message = keys.decrypt(request.body)
    # Names of medicines only on devices whose owner chose to see them.
    assert message == {
        "title": "Your video visit is soon",
        "body": "It starts at 10:30.",
        "url": "/visits/",
        "tag": "visit-1",
        "actions": [],
    }
    claims, key = vapid_claims(request, audience=push_service.origin)
    assert key == application_server_key()
    assert claims["sub"] == settings.WEBPUSH_VAPID_SUBJECT
    assert time.time() < claims["exp"] <= time.time() + 24 * 60 * 60
    sent = PushMessage.objects.get()
    assert sent.status == PushMessage.Status.SENT
    assert sent.payload == {}  # delivered: nothing of it is kept


def test_medicine_names_only_for_those_who_chose_them(push_service, patient):
    _, plain_keys = _subscribe(push_service, "plain", user=patient)
    _, named_keys = _subscribe(
        push_service, "named", user=patient, show_medicine_names=True
    )

    notify_people(
        users=[patient], topic=topics.VISIT_REMINDERS, dedupe_key="k", content=REMINDER
    )
    send_due_pushes()

    bodies = {
        request.path: keys.decrypt(request.body)["body"]
        for request in push_service.received
        for keys in [plain_keys if request.path.endswith("plain") else named_keys]
    }
    assert bodies == {
        "/push/plain": "It starts at 10:30.",
        "/push/named": "It starts at 10:30. Amlodipine 5 mg",
    }


def test_a_device_the_push_service_has_forgotten_is_removed(push_service, patient):
    _subscribe(push_service, "gone", user=patient)
    kept, _ = _subscribe(push_service, "kept", user=patient)
    push_service.answers["/push/gone"] = 410

    notify_people(
        users=[patient], topic=topics.VISIT_REMINDERS, dedupe_key="k", content=REMINDER
    )
    counts = send_due_pushes()

    assert counts["gone"] == 1 and counts["sent"] == 1
    assert list(PushSubscription.objects.all()) == [kept]


def test_a_push_service_error_is_retried_later_not_lost(push_service, patient):
    _subscribe(push_service, "busy", user=patient)
    push_service.answers["/push/busy"] = 503
    notify_people(
        users=[patient], topic=topics.VISIT_REMINDERS, dedupe_key="k", content=REMINDER
    )

    assert send_due_pushes()["retrying"] == 1
    message = PushMessage.objects.get()
    assert message.status == PushMessage.Status.PENDING
    push_service.answers.clear()
    assert send_due_pushes(now=message.next_attempt_at)["sent"] == 1


def test_only_devices_that_chose_the_topic_and_only_once(push_service, patient):
    _subscribe(push_service, "reminders", user=patient)
    _subscribe(push_service, "alerts-only", user=patient, chosen=[topics.ALERTS])
    for _ in range(2):  # a sweeper that fans out twice
        notify_people(
            users=[patient],
            topic=topics.VISIT_REMINDERS,
            dedupe_key="visit-reminder:7",
            content=REMINDER,
        )
    send_due_pushes()
    send_due_pushes()

    assert [request.path for request in push_service.received] == ["/push/reminders"]


def test_alert_topics_reach_visitors_without_an_account(push_service):
    _, keys = _subscribe(push_service, "visitor", chosen=[f"{topics.ALERTS}:north"])
    _subscribe(push_service, "elsewhere", chosen=[f"{topics.ALERTS}:south"])

    notify_topic(
        topics=[topics.ALERTS, f"{topics.ALERTS}:north"],
        dedupe_key="alert:1",
        content=PushContent(title="Measles", body="North campus", url="/alerts/1/"),
    )
    send_due_pushes()

    [request] = push_service.received
    assert request.path == "/push/visitor"
    assert keys.decrypt(request.body)["title"] == "Measles"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_send_each_push_once(push_service):
    people = [make_person(f"p{i}", [Role.PATIENT]) for i in range(5)]
    devices = [
        _subscribe(push_service, f"d{index}", user=person)[0]
        for index, person in enumerate(people)
    ]
    # Owed but not yet sent (notify_people would send at once: tasks run
    # synchronously in tests), so that both workers find them.
    PushMessage.objects.bulk_create(
        PushMessage(
            subscription=device,
            dedupe_key="k",
            payload=REMINDER.payload_for(device),
            next_attempt_at=timezone.now(),
        )
        for device in devices
    )

    results = run_at_once([send_due_pushes, send_due_pushes])

    assert sum(result["sent"] for result in results) == 5
    assert sorted(r.path for r in push_service.received) == [
        f"/push/d{i}" for i in range(5)
    ]


def test_leaving_stops_every_device_of_that_person(push_service, clinician, patient):
    _subscribe(
        push_service, "leaver", user=clinician, chosen=[topics.MEETING_REMINDERS]
    )
    _subscribe(push_service, "stays", user=patient)

    report = deactivate_person(person=clinician)

    assert [door.summary for door in report.doors if door.step == "push_devices"] == [
        "1 device stopped getting notifications."
    ]
    assert [s.endpoint for s in PushSubscription.objects.all()] == [
        push_service.endpoint("stays")
    ]


def test_one_broken_subscription_does_not_stop_the_others(push_service, patient):
    broken, _ = _subscribe(push_service, "broken", user=patient)
    _subscribe(push_service, "fine", user=patient)
    # A key that passed the checks once but no longer works (say, a library's
    # stricter rule): the send raises something other than a push-service error.
    PushSubscription.objects.filter(pk=broken.pk).update(p256dh="AAAA")

    notify_people(
        users=[patient], topic=topics.VISIT_REMINDERS, dedupe_key="k", content=REMINDER
    )
    counts = send_due_pushes()

    assert counts["sent"] == 1 and counts["retrying"] == 1
    assert [request.path for request in push_service.received] == ["/push/fine"]
