"""Third parties and the video room: no email in visit-room tokens, no third-party
requests from the embedded client, and every participant warned when a room is open."""

import re
from datetime import timedelta
from pathlib import Path

import jwt
import time_machine
from django.template.loader import render_to_string
from django.urls import reverse

from meetings import services
from meetings.models import Meeting
from tests.meetings.conftest import APP_SECRET, NOW

EMBED_JS = Path(__file__).resolve().parents[2] / "static/js/meetings/jitsi_embed.js"
OPEN_ROOM_WARNING = "This video room is not protected"


def claims(token: str) -> dict:
    return jwt.decode(token, APP_SECRET, algorithms=["HS256"], audience="jitsi")


def test_visit_room_tokens_carry_no_email(clinician, patient):
    start = NOW + timedelta(minutes=5)
    room = services.create_visit_room(
        clinician=clinician,
        patient=patient,
        start=start,
        duration_minutes=20,
        time_zone="UTC",
    )
    assert room.kind == Meeting.Kind.TELEMEDICINE_VISIT
    with time_machine.travel(NOW, tick=False):
        for person in (patient, clinician):
            join = services.join_context(meeting=room, user=person)
            user_claims = claims(join.jwt)["context"]["user"]
            assert "email" not in user_claims
            assert (
                person.email
                not in jwt.decode(
                    join.jwt, options={"verify_signature": False}
                ).__repr__()
            )
            assert user_claims["id"] == str(person.uuid)
            assert join.email == ""


@time_machine.travel(NOW, tick=False)
def test_visit_video_embed_does_not_hand_the_email_to_jitsi(clinician, patient):
    room = services.create_visit_room(
        clinician=clinician,
        patient=patient,
        start=NOW + timedelta(minutes=5),
        duration_minutes=20,
        time_zone="UTC",
    )
    join = services.join_context(meeting=room, user=patient)
    # The embed both the join page and the visits video page include.
    html = render_to_string("meetings/includes/jitsi_embed.html", {"join": join})
    assert 'data-email=""' in html
    assert patient.email not in html


def test_embedded_client_makes_no_third_party_requests():
    script = EMBED_JS.read_text()
    overwrite = script[script.index("configOverwrite") :]
    assert re.search(r"disableThirdPartyRequests:\s*true", overwrite)
    assert re.search(r"gravatar:\s*\{\s*disabled:\s*true\s*\}", overwrite)
    # The email is given to Jitsi only when the page put one there.
    assert "userInfo: { displayName: data.displayName }" in script


@time_machine.travel(NOW, tick=False)
def test_every_participant_is_warned_when_the_room_is_open(
    client, settings, make_meeting, meeting_admin, clinician
):
    meeting = make_meeting(invitees=[clinician])
    url = reverse("meetings:join", args=[meeting.uuid])
    for person in (meeting_admin, clinician):
        client.force_login(person)
        assert OPEN_ROOM_WARNING not in client.get(url).content.decode()
    settings.JITSI_APP_SECRET = ""
    for person in (meeting_admin, clinician):
        client.force_login(person)
        page = client.get(url).content.decode()
        assert OPEN_ROOM_WARNING in page, person
        assert 'data-jwt=""' in page
