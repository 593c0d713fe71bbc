"""The Notifications page and its JSON endpoints; alerts reach their area's phones."""

import json

import pytest
from django.urls import reverse

from cms.models import AlertArea
from cms.services import notify_alert_subscribers
from notifications import topics
from notifications.models import PushMessage, PushSubscription
from tests.cms.factories import make_alert
from tests.notifications.push_service import BrowserKeys, b64url

pytestmark = pytest.mark.django_db

SUBSCRIBE = reverse("push_subscribe")


def _body(topics_chosen, endpoint="https://push.example/abc", **extra):
    keys = BrowserKeys.new()
    return {
        "subscription": {
            "endpoint": endpoint,
            "keys": {"p256dh": keys.p256dh, "auth": keys.auth},
        },
        "topics": topics_chosen,
        **extra,
    }


def _post(client, url, body):
    raw = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(url, raw, content_type="application/json")


def test_each_person_is_offered_the_notifications_that_fit_them(
    client, patient, clinician
):
    AlertArea.objects.create(name="North campus", slug="north")
    offered = {}
    for who in (None, patient, clinician):
        if who:
            client.force_login(who)
        page = client.get(reverse("notification_settings"))
        offered[who.username if who else "visitor"] = page.context["choices"]
    assert [label for _, label in offered["visitor"]] == [
        "Public-health alerts for every area",
        "Public-health alerts for North campus",
    ]
    assert [topic for topic, _ in offered["patient"]][:2] == [
        topics.VISIT_REMINDERS,
        topics.MEDICINE_REMINDERS,
    ]
    assert offered["clinician"][0][0] == topics.MEETING_REMINDERS
    assert topics.VISIT_REMINDERS not in dict(offered["clinician"])


def test_a_patient_turns_on_reminders_and_sees_this_device_later(client, patient):
    client.force_login(patient)

    response = _post(
        client, SUBSCRIBE, _body([topics.VISIT_REMINDERS], device_label="Chrome")
    )

    assert response.status_code == 200
    assert response.json()["message"].startswith("Notifications are on")
    device = PushSubscription.objects.get()
    assert device.user == patient and not device.show_medicine_names
    state = _post(
        client, reverse("push_device_state"), {"endpoint": device.endpoint}
    ).json()
    assert state == {
        "subscribed": True,
        "topics": [topics.VISIT_REMINDERS],
        "show_medicine_names": False,
    }
    page = client.get(reverse("notification_settings"))
    assert "Stop notifications on Chrome" in page.text


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("{not json", "The data is not valid JSON"),
        ({"topics": ["alerts"]}, "This browser sent an incomplete subscription."),
        (
            _body([topics.VISIT_REMINDERS]),
            "One of those notifications is not for you.",
        ),
        (_body([]), "Choose at least one kind of notification."),
        (
            {**_body(["alerts"]), "subscription": {"endpoint": "https://p.example/x",
             "keys": {"p256dh": "short", "auth": "x"}}},
            "This browser sent an unusable encryption key.",
        ),
        (
            {**_body(["alerts"]), "subscription": {"endpoint": "https://p.example/x",
             "keys": {"p256dh": b64url(b"\x04" + bytes(64)),
                      "auth": b64url(bytes(16))}}},
            "This browser sent an unusable encryption key.",
        ),
        (
            {**_body(["alerts"]), "subscription": {"endpoint": "https://p.example/x",
             "keys": {"p256dh": BrowserKeys.new().p256dh + "!" * 300,
                      "auth": b64url(bytes(16))}}},
            "This browser sent an unusable encryption key.",
        ),
        (
            {**_body(["alerts"]),
             "subscription": {**_body([])["subscription"], "endpoint": 7}},
            "This browser sent no push service address.",
        ),
    ],
    ids=["not-json", "no-subscription", "not-for-visitors", "nothing", "bad-key",
         "not-on-the-curve", "stray-characters", "endpoint-not-text"],
)  # fmt: skip
def test_bad_subscriptions_are_refused_with_a_sentence(client, body, message):
    response = _post(client, SUBSCRIBE, body)

    assert response.status_code == 400
    assert response.json()["error"].startswith(message)
    assert not PushSubscription.objects.exists()


def test_a_visitor_turns_alerts_off_again(client):
    _post(client, SUBSCRIBE, _body([topics.ALERTS]))

    response = _post(
        client, reverse("push_unsubscribe"), {"endpoint": "https://push.example/abc"}
    )

    assert response.json()["message"] == "Notifications are off for this device."
    assert not PushSubscription.objects.exists()


def test_nobody_removes_or_reads_another_persons_device(client, patient, other_patient):
    client.force_login(patient)
    _post(client, SUBSCRIBE, _body([topics.VISIT_REMINDERS]))
    device = PushSubscription.objects.get()
    client.force_login(other_patient)

    removal = client.post(reverse("push_remove_device", args=[device.uuid]))
    state = _post(client, reverse("push_device_state"), {"endpoint": device.endpoint})
    _post(client, reverse("push_unsubscribe"), {"endpoint": device.endpoint})

    assert removal.status_code == 404
    assert state.json() == {"subscribed": False, "topics": []}
    assert PushSubscription.objects.filter(pk=device.pk).exists()


def test_an_alert_reaches_the_phones_of_its_area_once(client):
    north = AlertArea.objects.create(name="North campus", slug="north")
    AlertArea.objects.create(name="South campus", slug="south")
    for name, chosen in [
        ("every", [topics.ALERTS]),
        ("north", ["alerts:north"]),
        ("south", ["alerts:south"]),
    ]:
        _post(client, SUBSCRIBE, _body(chosen, endpoint=f"https://p.example/{name}"))
    alert = make_alert(publish=False, areas="North campus clinics")
    alert.target_areas.set([north])
    alert.save_revision().publish()

    notify_alert_subscribers(alert=alert)
    notify_alert_subscribers(alert=alert)

    owed = PushMessage.objects.filter(dedupe_key=f"alert:{alert.uuid}")
    assert sorted(m.subscription.endpoint for m in owed) == [
        "https://p.example/every",
        "https://p.example/north",
    ]
    assert {m.payload["body"] for m in owed} == {"North campus clinics"}
    assert {m.payload["url"] for m in owed} == {alert.get_absolute_url()}


@pytest.mark.parametrize(
    "endpoint",
    [
        "http://push.example/abc",
        "https://127.0.0.1/x",
        "https://localhost/x",
        "https://10.0.0.5/x",
        "https://[::1]/x",
        "https://169.254.169.254/latest/",
    ],
)
def test_in_production_the_worker_posts_only_to_public_https_hosts(
    client, settings, endpoint
):
    settings.DEBUG = False
    settings.RUNNING_TESTS = False

    refused = _post(client, SUBSCRIBE, _body([topics.ALERTS], endpoint=endpoint))
    accepted = _post(
        client, SUBSCRIBE, _body([topics.ALERTS], endpoint="https://fcm.example/send/1")
    )

    assert refused.status_code == 400
    assert refused.json()["error"] == (
        "This browser's push service address is not secure."
    )
    assert accepted.status_code == 200


def test_a_visitor_cannot_take_over_a_signed_in_persons_device(client, patient):
    client.force_login(patient)
    _post(client, SUBSCRIBE, _body([topics.VISIT_REMINDERS]))
    client.logout()

    response = _post(client, SUBSCRIBE, _body([topics.ALERTS]))

    assert response.status_code == 400
    assert response.json()["error"].startswith("Notifications on this device belong")
    assert PushSubscription.objects.get().user == patient
