"""Attendance from Jitsi's event-sync module, with payloads built the way
jitsi-contrib/prosody-plugins event_sync/mod_event_sync_component.lua builds them:
room_name is the MUC node (jid.split(room.jid)), which on a tenant deployment is
"[tenant]room"; breakout rooms report their main room's room_name and room_jid with
is_breakout true and their own node as breakout_room_id; times are epoch seconds;
occupants carry occupant_jid, joined_at (left_at) and name, id, email from the token.
"""

import json
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from meetings import services
from tests.meetings.conftest import NOW

START = datetime(2026, 6, 10, 15, 0, tzinfo=UTC)
AUTH = {"HTTP_AUTHORIZATION": "Bearer webhook-secret"}
MUC = "conference.meet.example.org"
BREAKOUT_MUC = "breakout.meet.example.org"


def epoch(minute: int) -> int:
    return int((START + timedelta(minutes=minute)).timestamp())


class EventSyncRoom:
    """One room as the Lua module tracks it (EventData), emitting its payloads."""

    def __init__(self, node: str, *, main: "EventSyncRoom | None" = None):
        self.jid = f"{node}@{BREAKOUT_MUC if main else MUC}"
        self.node = node
        self.main = main
        self.occupants = {}
        self.created_at = None

    def _room_attributes(self) -> dict:
        if self.main is None:
            return {"is_breakout": False, "room_jid": self.jid, "room_name": self.node}
        return {
            "is_breakout": True,
            "breakout_room_id": self.node,
            "room_jid": self.main.jid,
            "room_name": self.main.node,
        }

    def created(self, minute: int) -> dict:
        self.created_at = epoch(minute)
        return {
            "event_name": "muc-room-created",
            "created_at": self.created_at,
            **self._room_attributes(),
        }

    def joined(self, person, occupant_jid: str, minute: int) -> dict:
        data = {
            "occupant_jid": occupant_jid,
            "joined_at": epoch(minute),
            "name": person.display_name,
            "id": str(person.uuid),
            "email": person.email,
        }
        self.occupants[occupant_jid] = data
        active = sum("left_at" not in o for o in self.occupants.values())
        return {
            "event_name": "muc-occupant-joined",
            "occupant": dict(data),
            "active_occupants_count": active,
            **self._room_attributes(),
        }

    def left(self, occupant_jid: str, minute: int) -> dict:
        data = self.occupants[occupant_jid]
        data["left_at"] = epoch(minute)
        active = sum("left_at" not in o for o in self.occupants.values())
        return {
            "event_name": "muc-occupant-left",
            "occupant": dict(data),
            "active_occupants_count": active,
            **self._room_attributes(),
        }

    def destroyed(self, minute: int) -> dict:
        return {
            "event_name": "muc-room-destroyed",
            "created_at": self.created_at,
            "destroyed_at": epoch(minute),
            "all_occupants": [dict(o) for o in self.occupants.values()],
            **self._room_attributes(),
        }


def deliver(client, payload) -> dict:
    response = client.post(
        reverse("meetings:jitsi_events"),
        data=json.dumps(payload),
        content_type="application/json",
        **AUTH,
    )
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def meeting(make_meeting, clinician):
    with time_machine.travel(NOW, tick=False):
        return make_meeting(invitees=[clinician])


def a_sitting_with_a_breakout(room: EventSyncRoom, clinician) -> list[dict]:
    """Forty minutes present: ten in the main room, ten in a breakout room, twenty
    back in the main room; the breakout room closes while the clinician is back."""
    me = "4f1c2b@meet.example.org/web-1"
    breakout = EventSyncRoom("3c0fe1d2-breakout", main=room)
    return [
        room.created(0),
        room.joined(clinician, me, 0),
        room.left(me, 10),
        breakout.created(10),
        breakout.joined(clinician, me, 10),
        breakout.left(me, 20),
        room.joined(clinician, me, 20),
        breakout.destroyed(21),
        room.left(me, 40),
        room.destroyed(41),
    ]


@time_machine.travel(START + timedelta(hours=3), tick=False)
@pytest.mark.parametrize("tenant", ["", "clinic-north"])
def test_attendance_counts_on_a_tenant_and_across_breakout_rooms(
    client, settings, meeting, clinician, tenant
):
    settings.JITSI_TENANT = tenant
    node = f"[{tenant}]{meeting.room_slug}" if tenant else meeting.room_slug
    for payload in a_sitting_with_a_breakout(EventSyncRoom(node), clinician):
        deliver(client, payload)
    assert services.attendance_minutes(meeting=meeting, user=clinician) == 40


@time_machine.travel(START + timedelta(hours=3), tick=False)
def test_a_tenant_room_destroyed_closes_what_is_open(
    client, settings, meeting, clinician
):
    settings.JITSI_TENANT = "clinic-north"
    room = EventSyncRoom(f"[clinic-north]{meeting.room_slug}")
    deliver(client, room.created(0))
    assert deliver(client, room.joined(clinician, "x@meet.example.org/1", 5)) == {
        "applied": True
    }
    assert deliver(client, room.destroyed(35)) == {"applied": True}
    assert services.attendance_minutes(meeting=meeting, user=clinician) == 30
