import math
import re
from datetime import UTC, datetime, timedelta

import jwt
import pytest
import time_machine
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from meetings import jitsi, services
from meetings.models import Meeting
from tests.meetings.conftest import APP_ID, APP_SECRET, NOW


def prosody_accepts(token: str, *, room: str) -> bool:
    """What Prosody's token plugin checks: signature, iss, aud, nbf/exp, sub, room."""
    try:
        claims = decode(token)
    except jwt.InvalidTokenError:
        return False
    return claims["sub"] == "meet.example.org" and claims["room"] == room


def decode(token: str, **options):
    return jwt.decode(
        token,
        APP_SECRET,
        algorithms=["HS256"],
        audience="jitsi",
        issuer=APP_ID,
        **options,
    )


def test_room_slugs_are_random_and_long_enough():
    slugs = {jitsi.new_room_slug() for _ in range(500)}
    assert len(slugs) == 500
    for slug in slugs:
        assert re.fullmatch(r"[a-z0-9-]+", slug)
    letters = len(slugs.pop().replace("-", ""))
    assert letters * math.log2(len(jitsi.ROOM_ALPHABET)) >= 80


def test_room_slug_says_nothing_about_title_or_people(make_meeting, specialist):
    meeting = make_meeting(
        kind=Meeting.Kind.CARE_COORDINATION,
        title="Plan for Mr Smith",
        invitees=[specialist],
    )
    assert "smith" not in meeting.room_slug
    assert "specialist" not in meeting.room_slug


@time_machine.travel(NOW, tick=False)
def test_organizer_token_has_every_claim(make_meeting, meeting_admin, clinician):
    meeting = make_meeting(invitees=[clinician])
    join = services.join_context(meeting=meeting, user=meeting_admin)
    header = jwt.get_unverified_header(join.jwt)
    assert header == {"alg": "HS256", "typ": "JWT"}
    claims = decode(join.jwt)
    start = datetime(2026, 6, 10, 15, 0, tzinfo=UTC)
    assert claims["iss"] == APP_ID
    assert claims["aud"] == "jitsi"
    assert claims["sub"] == "meet.example.org"
    assert claims["room"] == meeting.room_slug
    assert claims["nbf"] == int((start - timedelta(minutes=10)).timestamp())
    assert claims["exp"] == int((start + timedelta(minutes=90)).timestamp())
    assert claims["context"]["user"] == {
        "id": str(meeting_admin.uuid),
        "name": meeting_admin.display_name,
        "email": meeting_admin.email,
        "moderator": True,
        "affiliation": "owner",
    }
    assert claims["context"]["features"] == dict.fromkeys(jitsi.FEATURES, False)
    assert set(claims) == {"iss", "aud", "sub", "room", "nbf", "exp", "context"}
    assert join.is_moderator is True
    assert join.room == meeting.room_slug


@time_machine.travel(NOW, tick=False)
def test_invitee_is_a_member_and_not_a_moderator(make_meeting, clinician):
    meeting = make_meeting(invitees=[clinician])
    claims = decode(services.join_context(meeting=meeting, user=clinician).jwt)
    assert claims["context"]["user"]["moderator"] is False
    assert claims["context"]["user"]["affiliation"] == "member"
    assert claims["context"]["user"]["id"] == str(clinician.uuid)


@time_machine.travel(NOW, tick=False)
def test_co_host_is_a_moderator(make_meeting, clinician):
    meeting = make_meeting(co_hosts=[clinician])
    claims = decode(services.join_context(meeting=meeting, user=clinician).jwt)
    assert claims["context"]["user"]["moderator"] is True
    assert claims["context"]["user"]["affiliation"] == "owner"


@time_machine.travel(NOW, tick=False)
def test_token_does_not_open_another_meetings_room(make_meeting, clinician):
    mine = make_meeting(invitees=[clinician])
    other = make_meeting(title="Another meeting")
    token = services.join_context(meeting=mine, user=clinician).jwt
    assert prosody_accepts(token, room=mine.room_slug)
    assert not prosody_accepts(token, room=other.room_slug)


@time_machine.travel(NOW, tick=False)
def test_token_is_refused_after_exp(make_meeting, clinician):
    meeting = make_meeting(invitees=[clinician])
    token = services.join_context(meeting=meeting, user=clinician).jwt
    assert prosody_accepts(token, room=meeting.room_slug)
    with time_machine.travel(datetime(2026, 6, 10, 16, 31, tzinfo=UTC), tick=False):
        assert not prosody_accepts(token, room=meeting.room_slug)
        with pytest.raises(jwt.ExpiredSignatureError):
            decode(token)


@time_machine.travel(NOW, tick=False)
def test_token_is_not_valid_before_the_early_join_window(make_meeting, clinician):
    meeting = make_meeting(invitees=[clinician])
    token = services.join_context(meeting=meeting, user=clinician).jwt
    with time_machine.travel(datetime(2026, 6, 10, 14, 49, tzinfo=UTC), tick=False):
        with pytest.raises(jwt.ImmatureSignatureError):
            decode(token)


@time_machine.travel(NOW, tick=False)
def test_a_forged_moderator_flag_fails_verification(make_meeting, clinician):
    meeting = make_meeting(invitees=[clinician])
    token = services.join_context(meeting=meeting, user=clinician).jwt
    claims = decode(token)
    claims["context"]["user"]["moderator"] = True
    forged = jwt.encode(
        claims, "not-the-app-secret-but-long-enough-32b", algorithm="HS256"
    )
    with pytest.raises(jwt.InvalidSignatureError):
        decode(forged)


@time_machine.travel(NOW, tick=False)
def test_recording_features_follow_the_meeting(make_meeting, meeting_admin):
    meeting = make_meeting(kind=Meeting.Kind.LECTURE, recording_enabled=True)
    features = decode(services.join_context(meeting=meeting, user=meeting_admin).jwt)[
        "context"
    ]["features"]
    assert features["recording"] is True
    assert features["livestreaming"] is False
    assert features["transcription"] is False
    assert set(features) == set(jitsi.FEATURES)


@time_machine.travel(NOW, tick=False)
def test_tenant_becomes_sub_and_part_of_the_url(settings, make_meeting, meeting_admin):
    settings.JITSI_TENANT = "Hospital"
    meeting = make_meeting()
    join = services.join_context(meeting=meeting, user=meeting_admin)
    claims = decode(join.jwt)
    assert claims["sub"] == "hospital"
    assert claims["room"] == meeting.room_slug
    assert join.room_path == f"hospital/{meeting.room_slug}"


@time_machine.travel(NOW, tick=False)
def test_rs256_tokens_carry_the_kid(settings, make_meeting, meeting_admin):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    settings.JITSI_PRIVATE_KEY = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    settings.JITSI_KID = "telecampus/key-1"
    meeting = make_meeting()
    token = services.join_context(meeting=meeting, user=meeting_admin).jwt
    assert jwt.get_unverified_header(token) == {
        "alg": "RS256",
        "kid": "telecampus/key-1",
        "typ": "JWT",
    }
    claims = jwt.decode(
        token, key.public_key(), algorithms=["RS256"], audience="jitsi", issuer=APP_ID
    )
    assert claims["context"]["user"]["moderator"] is True
    with pytest.raises(jwt.InvalidAlgorithmError):
        jwt.decode(token, APP_SECRET, algorithms=["HS256"], audience="jitsi")


@time_machine.travel(NOW, tick=False)
def test_without_an_app_secret_there_is_no_token(settings, make_meeting, meeting_admin):
    settings.JITSI_APP_SECRET = ""
    meeting = make_meeting()
    join = services.join_context(meeting=meeting, user=meeting_admin)
    assert join.jwt is None
    assert join.url == f"https://meet.example.org/{meeting.room_slug}"
