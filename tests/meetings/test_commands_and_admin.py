from io import StringIO
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
import time_machine
import vobject
from django.core.management import CommandError, call_command

from tests.meetings.conftest import APP_SECRET, NOW


@time_machine.travel(NOW, tick=False)
def test_meeting_link_prints_the_url_with_the_users_token(make_meeting, clinician):
    meeting = make_meeting(invitees=[clinician])
    out = StringIO()
    call_command("meeting_link", str(meeting.uuid), "clinician", stdout=out)
    url = urlsplit(out.getvalue().strip())
    assert url.netloc == "meet.example.org"
    assert url.path == f"/{meeting.room_slug}"
    token = parse_qs(url.query)["jwt"][0]
    claims = jwt.decode(token, APP_SECRET, algorithms=["HS256"], audience="jitsi")
    assert claims["context"]["user"]["email"] == clinician.email


@time_machine.travel(NOW, tick=False)
def test_meeting_link_refuses_someone_who_may_not_join(make_meeting, other_patient):
    meeting = make_meeting()
    with pytest.raises(CommandError, match="may not join: You are not invited"):
        call_command("meeting_link", str(meeting.uuid), "other_patient")
    with pytest.raises(CommandError, match="No meeting"):
        call_command("meeting_link", "not-a-uuid", "other_patient")


@time_machine.travel(NOW, tick=False)
def test_meeting_ics_prints_a_parsable_invitation(make_meeting, clinician):
    meeting = make_meeting(invitees=[clinician], guest_emails=["g@outside.example"])
    out = StringIO()
    call_command("meeting_ics", str(meeting.uuid), stdout=out)
    calendar = vobject.readOne(out.getvalue())
    assert calendar.method.value == "REQUEST"
    assert calendar.vevent.uid.value == f"{meeting.uuid}@telecampus"
    assert sorted(a.value for a in calendar.vevent.attendee_list) == [
        "mailto:clinician@example.org",
        "mailto:g@outside.example",
    ]


@time_machine.travel(NOW, tick=False)
def test_wagtail_admin_lists_meetings_and_warns_without_a_secret(
    client, settings, make_meeting, meeting_admin
):
    make_meeting(title="Board of governors")
    client.force_login(meeting_admin)
    listing = client.get("/admin/meetings/")
    assert listing.status_code == 200
    assert "Board of governors" in listing.content.decode()
    assert client.get("/admin/meeting-dates/").status_code == 200
    assert (
        "Jitsi tokens are not configured" not in client.get("/admin/").content.decode()
    )
    settings.JITSI_APP_SECRET = ""
    assert "Jitsi tokens are not configured" in client.get("/admin/").content.decode()
