import json
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from meetings import services
from meetings.models import AttendanceInterval, JitsiEvent
from tests.concurrency import run_at_once
from tests.meetings.conftest import NOW

START = datetime(2026, 6, 10, 15, 0, tzinfo=UTC)
AUTH = {"HTTP_AUTHORIZATION": "Bearer webhook-secret"}


def at(minutes: int) -> int:
    return int((START + timedelta(minutes=minutes)).timestamp())


def joined(meeting, person, minute, jid="abc@muc/1"):
    return {
        "event_name": "muc-occupant-joined",
        "room_name": meeting.room_slug,
        "room_jid": f"{meeting.room_slug}@conference.meet.example.org",
        "is_breakout": False,
        "occupant": {
            "id": str(person.uuid),
            "name": person.display_name,
            "email": person.email,
            "occupant_jid": jid,
            "joined_at": at(minute),
        },
    }


def left(meeting, person, minute, jid="abc@muc/1"):
    payload = joined(meeting, person, minute, jid)
    payload["event_name"] = "muc-occupant-left"
    payload["occupant"]["left_at"] = payload["occupant"].pop("joined_at")
    return payload


def post(client, payload, **headers):
    return client.post(
        reverse("meetings:jitsi_events"),
        data=json.dumps(payload),
        content_type="application/json",
        **(headers or AUTH),
    )


@pytest.fixture
def meeting(make_meeting, clinician):
    with time_machine.travel(NOW, tick=False):
        return make_meeting(invitees=[clinician])


@time_machine.travel(START + timedelta(hours=3), tick=False)
def test_rejoins_merge_into_intervals_and_minutes(client, meeting, clinician):
    for payload in (
        joined(meeting, clinician, 0, "a/1"),
        left(meeting, clinician, 20, "a/1"),
        joined(meeting, clinician, 18, "b/2"),  # second device overlaps
        left(meeting, clinician, 30, "b/2"),
        joined(meeting, clinician, 40, "c/3"),
        left(meeting, clinician, 50, "c/3"),
    ):
        assert post(client, payload).json() == {"applied": True}
    assert services.attendance_minutes(meeting=meeting, user=clinician) == 40
    occurrence = meeting.occurrences.get()
    assert (
        services.attendance_minutes(
            meeting=meeting, user=clinician, occurrence_start=occurrence.original_start
        )
        == 40
    )
    report = services.attendance_report(occurrence=occurrence)
    assert [(p.email, p.minutes) for p in report] == [(clinician.email, 40)]
    assert report[0].intervals == [
        (START, START + timedelta(minutes=30)),
        (START + timedelta(minutes=40), START + timedelta(minutes=50)),
    ]


@time_machine.travel(START + timedelta(hours=3), tick=False)
def test_room_destroyed_closes_open_intervals(client, meeting, clinician):
    post(client, joined(meeting, clinician, 5))
    post(
        client,
        {
            "event_name": "muc-room-destroyed",
            "room_name": meeting.room_slug,
            "destroyed_at": at(35),
            "all_occupants": [],
        },
    )
    assert services.attendance_minutes(meeting=meeting, user=clinician) == 30


@time_machine.travel(START + timedelta(hours=3), tick=False)
def test_replays_and_forgeries_change_nothing(
    client, meeting, clinician, other_patient
):
    payload = joined(meeting, clinician, 0)
    assert post(client, payload).json() == {"applied": True}
    assert post(client, payload).json() == {"applied": False}
    forged = left(meeting, clinician, 55)
    response = post(client, forged, HTTP_AUTHORIZATION="Bearer guessed")
    assert response.status_code == 403
    assert post(client, forged, HTTP_X_OTHER="1").status_code == 403
    # A valid secret cannot add someone who is not invited.
    assert post(client, joined(meeting, other_patient, 1, "x/9")).json() == {
        "applied": False
    }
    assert post(client, {"event_name": "nonsense"}).status_code == 400
    assert (
        client.post(
            reverse("meetings:jitsi_events"),
            data="not json",
            content_type="application/json",
            **AUTH,
        ).status_code
        == 400
    )
    assert AttendanceInterval.objects.count() == 1
    assert AttendanceInterval.objects.get().left_at is None


@time_machine.travel(START + timedelta(hours=3), tick=False)
def test_report_page_and_csv(client, meeting, meeting_admin, clinician):
    post(client, joined(meeting, clinician, 0))
    post(client, left(meeting, clinician, 45))
    occurrence = meeting.occurrences.get()
    client.force_login(meeting_admin)
    url = reverse("meetings:attendance", args=[meeting.uuid, occurrence.uuid])
    html = client.get(url).content.decode()
    assert clinician.display_name in html
    assert ">45<" in html
    csv_text = client.get(url + "?format=csv").content.decode()
    lines = csv_text.strip().splitlines()
    assert lines[0] == "name,email,joined,left,total_minutes"
    assert lines[1].endswith(",45")
    assert "clinician@example.org" in lines[1]


@time_machine.travel(NOW, tick=False)
def test_portal_joins_are_recorded(client, meeting, clinician):
    client.force_login(clinician)
    client.get(reverse("meetings:join", args=[meeting.uuid]))
    client.get(reverse("meetings:join", args=[meeting.uuid]))
    report = services.attendance_report(occurrence=meeting.occurrences.get())
    assert report[0].portal_joins == 2
    assert report[0].minutes == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_deliveries_at_once_apply_once(make_meeting, clinician):
    with time_machine.travel(NOW, tick=False):
        meeting = make_meeting(invitees=[clinician], send_invitations=False)
    payload = joined(meeting, clinician, 0)
    results = run_at_once(
        [lambda: post(Client(), payload).json()["applied"] for _ in range(2)]
    )
    assert sorted(results) == [False, True]
    assert JitsiEvent.objects.count() == 1
    assert AttendanceInterval.objects.count() == 1


@time_machine.travel(START + timedelta(hours=3), tick=False)
def test_a_participant_id_that_is_not_a_uuid_is_ignored(client, meeting, clinician):
    payload = joined(meeting, clinician, 0)
    payload["occupant"]["id"] = "guest-abc"
    response = post(client, payload)
    assert response.status_code == 200
    assert response.json() == {"applied": False}
    assert AttendanceInterval.objects.count() == 0
