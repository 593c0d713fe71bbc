"""Jitsi's webhook, with the right secret, refuses hostile bodies with a 400 (#3)."""

import pytest
from django.test import Client
from django.urls import reverse

from meetings.models import JitsiEvent

pytestmark = pytest.mark.django_db

AUTH = {"HTTP_AUTHORIZATION": "Bearer webhook-secret"}


@pytest.mark.parametrize(
    "body",
    [
        '{"event_name": ' + "[" * 200_000 + "]" * 200_000 + "}",
        '{"event_name": "muc-room-created", "room_name": "r", "created_at": '
        + "1" * 5000
        + "}",
        '{"event_name": "muc-room-created", "room_name": "r", "created_at": NaN}',
        '{"event_name": "muc-room-created", "room_name": "' + "r" * 70_000 + '"}',
        "[" * 30 + "]" * 30,
        "\xff",
    ],
)
def test_hostile_webhook_bodies_are_a_400(body):
    client = Client(raise_request_exception=False)
    response = client.post(
        reverse("meetings:jitsi_events"),
        data=body.encode("utf-8", "surrogateescape"),
        content_type="application/json",
        **AUTH,
    )
    assert response.status_code == 400
    assert response.json()["error"]
    assert not JitsiEvent.objects.exists()
