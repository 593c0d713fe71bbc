from datetime import UTC, datetime, timedelta

import jwt
import pytest
import time_machine
import vobject
from django.urls import reverse

from meetings import services
from meetings.models import Meeting
from tests.meetings.conftest import APP_SECRET, NOW


@pytest.fixture
def meeting(make_meeting, specialist):
    with time_machine.travel(NOW, tick=False):
        return make_meeting(
            kind=Meeting.Kind.CARE_COORDINATION,
            title="Plan for bed 4",
            invitees=[specialist],
            guest_emails=["Outside.Nurse@Clinic.example"],
        )


@time_machine.travel(NOW, tick=False)
def test_guest_link_opens_the_lobby_with_member_rights(client, meeting):
    guest = meeting.guests.get()
    assert guest.email == "outside.nurse@clinic.example"
    url = services.guest_link(guest)
    assert str(guest.uuid) not in url
    response = client.get(url.removeprefix("https://portal.example.org"))
    assert response.status_code == 200
    html = response.content.decode()
    token = html.split('data-jwt="')[1].split('"')[0]
    claims = jwt.decode(token, APP_SECRET, algorithms=["HS256"], audience="jitsi")
    assert claims["context"]["user"] == {
        "id": str(guest.uuid),
        "name": "outside.nurse",
        "email": "outside.nurse@clinic.example",
        "moderator": False,
        "affiliation": "member",
    }
    assert 'data-lobby="true"' in html
    assert "bed 4" not in html


@time_machine.travel(NOW, tick=False)
def test_forged_revoked_and_expired_guest_links_are_404(client, meeting):
    guest = meeting.guests.get()
    path = services.guest_link(guest).removeprefix("https://portal.example.org")
    assert client.get(path[:-3] + "xx/").status_code == 404
    services.revoke_guest_link(guest=guest)
    assert client.get(path).status_code == 404
    # A new link after revoking does not work either: revoking is final.
    assert (
        client.get(
            services.guest_link(guest).removeprefix("https://portal.example.org")
        ).status_code
        == 404
    )


def test_guest_links_expire_after_the_meeting(client, meeting):
    guest = meeting.guests.get()
    path = services.guest_link(guest).removeprefix("https://portal.example.org")
    later = guest.expires_at + timedelta(minutes=1)
    with time_machine.travel(later, tick=False):
        assert client.get(path).status_code == 404


def test_host_can_revoke_from_the_detail_page(
    client, meeting, meeting_admin, specialist
):
    guest = meeting.guests.get()
    url = reverse("meetings:revoke_guest", args=[meeting.uuid, guest.uuid])
    client.force_login(specialist)
    assert client.post(url).status_code == 404
    client.force_login(meeting_admin)
    assert client.post(url).status_code == 302
    guest.refresh_from_db()
    assert guest.revoked_at is not None


@time_machine.travel(NOW, tick=False)
def test_calendar_feed_lists_upcoming_meetings_without_details(
    client, meeting, specialist
):
    client.force_login(specialist)
    page = client.get(reverse("meetings:calendar")).content.decode()
    feed_path = page.split("http://testserver")[1].split("<")[0]
    client.logout()
    response = client.get(feed_path)
    assert response["Content-Type"].startswith("text/calendar")
    calendar = vobject.readOne(response.content.decode())
    assert calendar.method.value == "PUBLISH"
    event = calendar.vevent
    assert event.summary.value == "Care coordination meeting"
    assert event.dtstart.value.astimezone(UTC) == datetime(
        2026, 6, 10, 15, 0, tzinfo=UTC
    )
    assert "bed 4" not in response.content.decode()


@time_machine.travel(NOW, tick=False)
def test_regenerating_the_secret_kills_the_old_url(client, specialist):
    old = services.feed_for(specialist).secret
    client.force_login(specialist)
    client.post(reverse("meetings:calendar"))
    new = services.feed_for(specialist).secret
    assert new != old
    client.logout()
    assert client.get(f"/meetings/calendar/{old}.ics").status_code == 404
    assert client.get(f"/meetings/calendar/{new}.ics").status_code == 200


@time_machine.travel(NOW, tick=False)
def test_minutes_and_actions_are_visible_to_participants(
    client, make_meeting, meeting_admin, specialist
):
    # An administrative meeting: confidential kinds get no minutes at all.
    meeting = make_meeting(invitees=[specialist])
    occurrence = meeting.occurrences.get()
    url = reverse("meetings:minutes", args=[meeting.uuid, occurrence.uuid])
    client.force_login(meeting_admin)
    client.post(url, {"save_minutes": "1", "text": "Agreed the plan."})
    response = client.post(
        url,
        {
            "add_action": "1",
            "description": "Send the referral letter",
            "owner": specialist.pk,
            "due_date": "2026-06-20",
        },
    )
    assert response.status_code == 302
    assert client.post(url, {"add_action": "1", "description": ""}).status_code == 400
    client.force_login(specialist)
    html = client.get(url).content.decode()
    assert "Agreed the plan." in html and "Send the referral letter" in html
    # Invitees read but do not write the minutes.
    assert client.post(url, {"save_minutes": "1", "text": "x"}).status_code == 404
    item = occurrence.action_items.get()
    client.post(reverse("meetings:toggle_action", args=[meeting.uuid, item.uuid]))
    item.refresh_from_db()
    assert item.done is True
