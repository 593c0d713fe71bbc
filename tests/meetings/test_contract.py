"""The interface visits and courses rely on (docs: /work/briefs/contracts.md)."""

from datetime import UTC, datetime

import jwt
import pytest
import time_machine
from django.core import mail

from meetings import services
from meetings.models import Meeting
from tests.meetings.conftest import APP_SECRET, NOW

START = datetime(2026, 6, 10, 15, 0, tzinfo=UTC)


@time_machine.travel(NOW, tick=False)
def test_visit_room_is_generic_private_and_silent(clinician, patient, mailoutbox):
    meeting = services.create_visit_room(
        clinician=clinician,
        patient=patient,
        start=START,
        duration_minutes=30,
        time_zone="America/Chicago",
    )
    assert meeting.kind == Meeting.Kind.TELEMEDICINE_VISIT
    assert meeting.title == "Telemedicine visit"
    assert meeting.organizer == clinician
    assert list(meeting.invitees.all()) == [patient]
    assert not (
        meeting.recording_enabled
        or meeting.livestreaming_enabled
        or meeting.transcription_enabled
    )
    assert mailoutbox == []
    host = services.join_context(meeting=meeting, user=clinician)
    guest = services.join_context(meeting=meeting, user=patient)
    assert host.is_moderator and not guest.is_moderator
    assert guest.lobby is True
    features = jwt.decode(
        guest.jwt, APP_SECRET, algorithms=["HS256"], audience="jitsi"
    )["context"]["features"]
    assert not any(features.values())
    assert guest.domain == "meet.example.org"
    assert guest.external_api_url == "https://meet.example.org/external_api.js"


@time_machine.travel(NOW, tick=False)
def test_join_refusals_carry_codes(make_meeting, clinician, other_patient):
    meeting = make_meeting(invitees=[clinician])
    with pytest.raises(services.JoinRefused) as refused:
        services.join_context(meeting=meeting, user=other_patient)
    assert refused.value.code == "not_invited"
    with pytest.raises(services.JoinRefused) as refused:
        services.join_context(
            meeting=meeting,
            user=clinician,
            now=datetime(2026, 6, 10, 14, 0, tzinfo=UTC),
        )
    assert refused.value.code == "too_early"
    assert refused.value.next_start == START
    assert refused.value.reason
    services.end_meeting(meeting=meeting)
    with pytest.raises(services.JoinRefused) as refused:
        services.join_context(meeting=meeting, user=clinician)
    assert refused.value.code == "ended"


@time_machine.travel(NOW, tick=False)
def test_schedule_meeting_invites_the_specialist_by_email(
    make_meeting, specialist, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_meeting(
            kind=Meeting.Kind.CARE_COORDINATION,
            title="Care coordination for J. Doe, diabetic foot",
            invitees=[specialist],
        )
    assert [m.to for m in mail.outbox] == [[specialist.email]]
    assert "Doe" not in mail.outbox[0].subject
    assert "Doe" not in mail.outbox[0].body
    assert "Doe" not in mail.outbox[0].attachments[0].get_payload(decode=True).decode()
