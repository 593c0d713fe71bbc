import re
from datetime import UTC, datetime

import jwt
import time_machine
from django.urls import reverse

from meetings import services
from meetings.models import Meeting
from tests.meetings.conftest import APP_SECRET, NOW


def jwt_on_page(html: str) -> str:
    return re.search(r'data-jwt="([^"]*)"', html).group(1)


@time_machine.travel(NOW, tick=False)
def test_organizer_join_page_embeds_a_moderator_token(
    client, make_meeting, meeting_admin
):
    meeting = make_meeting()
    client.force_login(meeting_admin)
    response = client.get(reverse("meetings:join", args=[meeting.uuid]))
    assert response.status_code == 200
    html = response.content.decode()
    claims = jwt.decode(
        jwt_on_page(html), APP_SECRET, algorithms=["HS256"], audience="jitsi"
    )
    assert claims["context"]["user"]["moderator"] is True
    assert 'data-moderator="true"' in html
    assert "https://meet.example.org/external_api.js" in html
    assert "js/meetings/jitsi_embed.js" in html
    # CSP: no inline script (JSON data blocks are not executed).
    inline = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert all('type="application/json"' in tag for tag in inline)
    assert meeting.occurrences.get().attendance.filter(user=meeting_admin).count() == 1


@time_machine.travel(NOW, tick=False)
def test_invitee_join_page_has_a_member_token(client, make_meeting, clinician):
    meeting = make_meeting(invitees=[clinician])
    client.force_login(clinician)
    html = client.get(reverse("meetings:join", args=[meeting.uuid])).content.decode()
    claims = jwt.decode(
        jwt_on_page(html), APP_SECRET, algorithms=["HS256"], audience="jitsi"
    )
    assert claims["context"]["user"]["moderator"] is False
    assert 'data-moderator="false"' in html


@time_machine.travel(NOW, tick=False)
def test_people_not_invited_get_404_everywhere(client, make_meeting, other_patient):
    meeting = make_meeting()
    client.force_login(other_patient)
    for name in ("join", "detail"):
        assert (
            client.get(reverse(f"meetings:{name}", args=[meeting.uuid])).status_code
            == 404
        )
    occurrence = meeting.occurrences.get()
    for name in ("minutes", "attendance"):
        url = reverse(f"meetings:{name}", args=[meeting.uuid, occurrence.uuid])
        assert client.get(url).status_code == 404


def test_outside_the_window_the_start_is_given_in_the_viewers_zone(
    client, make_meeting, specialist
):
    with time_machine.travel(NOW, tick=False):
        meeting = make_meeting(invitees=[specialist])
    client.force_login(specialist)
    with time_machine.travel(datetime(2026, 6, 10, 12, 0, tzinfo=UTC), tick=False):
        response = client.get(reverse("meetings:join", args=[meeting.uuid]))
    assert response.status_code == 403
    html = response.content.decode()
    # 15:00 UTC is 16:00 in London (British Summer Time).
    assert "16:00" in html
    assert "Europe/London" in html
    assert "data-jwt" not in html


@time_machine.travel(NOW, tick=False)
def test_after_the_end_joining_is_refused(client, make_meeting, clinician):
    meeting = make_meeting(invitees=[clinician])
    services.end_meeting(meeting=meeting)
    client.force_login(clinician)
    response = client.get(reverse("meetings:join", args=[meeting.uuid]))
    assert response.status_code == 403
    assert "ended" in response.content.decode()


def test_my_meetings_groups_sittings_by_day_in_my_zone(
    client, make_meeting, specialist
):
    # Wednesday 10 June 2026, 22:30 in London: a meeting at 23:30 UTC is already
    # Thursday 00:30 in London, so it belongs under Thursday, not "today".
    with time_machine.travel(datetime(2026, 6, 10, 21, 30, tzinfo=UTC), tick=False):
        today = make_meeting(
            title="Evening huddle",
            start=datetime(2026, 6, 10, 21, 45, tzinfo=UTC),
            invitees=[specialist],
        )
        tomorrow = make_meeting(
            title="Midnight handover",
            start=datetime(2026, 6, 10, 23, 30, tzinfo=UTC),
            invitees=[specialist],
        )
        client.force_login(specialist)
        html = client.get(reverse("meetings:mine")).content.decode()
    today_part, thursday_part = html.split("Thu 11 Jun 2026</h3>")
    assert "Today, Wed 10 Jun 2026" in today_part
    assert today.title in today_part and "22:45" in today_part
    assert tomorrow.title in thursday_part and "00:30" in thursday_part
    assert "Europe/London" in html


def test_my_meetings_pages_through_every_sitting_of_a_long_series(
    client, make_meeting, specialist
):
    with time_machine.travel(NOW, tick=False):
        make_meeting(
            title="Weekly rota",
            start=datetime(2026, 6, 12, 9, 0, tzinfo=UTC),
            recurrence_rule="FREQ=WEEKLY;COUNT=30",
            invitees=[specialist],
        )
        client.force_login(specialist)
        first = client.get(reverse("meetings:mine")).content.decode()
        second = client.get(reverse("meetings:mine") + "?page=2").content.decode()
    assert first.count("Join “Weekly rota”") == 20
    assert second.count("Join “Weekly rota”") == 10
    assert "Page 1 of 2" in first and "Later meetings" in first
    # The last sitting, 29 weeks on, is listed (the old page stopped at 5 weeks).
    assert "Fri 1 Jan 2027" in second
    feed = services.feed_for(specialist)
    assert reverse("meetings:calendar_feed", args=[feed.secret]) in first


@time_machine.travel(NOW, tick=False)
def test_detail_hides_care_details_from_invitees_but_not_hosts(
    client, make_meeting, meeting_admin, specialist
):
    meeting = make_meeting(
        kind=Meeting.Kind.CARE_COORDINATION,
        title="Plan for room 12",
        invitees=[specialist],
    )
    client.force_login(specialist)
    html = client.get(reverse("meetings:detail", args=[meeting.uuid])).content.decode()
    assert "Plan for room 12" not in html
    assert "Care coordination meeting" in html
    client.force_login(meeting_admin)
    html = client.get(reverse("meetings:detail", args=[meeting.uuid])).content.decode()
    assert "Plan for room 12" in html


@time_machine.travel(NOW, tick=False)
def test_host_cancels_one_date_and_the_whole_meeting(
    client, make_meeting, meeting_admin
):
    meeting = make_meeting(
        recurrence_rule="FREQ=WEEKLY;COUNT=3",
        start=datetime(2026, 6, 11, 15, 0, tzinfo=UTC),
    )
    client.force_login(meeting_admin)
    second = meeting.occurrences.order_by("start")[1]
    url = reverse("meetings:cancel_occurrence", args=[meeting.uuid, second.uuid])
    assert client.post(url).status_code == 302
    second.refresh_from_db()
    assert second.is_cancelled
    client.post(reverse("meetings:cancel", args=[meeting.uuid]))
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED


@time_machine.travel(NOW, tick=False)
def test_invitees_cannot_cancel(client, make_meeting, clinician):
    meeting = make_meeting(invitees=[clinician])
    client.force_login(clinician)
    assert (
        client.post(reverse("meetings:cancel", args=[meeting.uuid])).status_code == 404
    )
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SCHEDULED


@time_machine.travel(NOW, tick=False)
def test_move_one_date_refuses_a_nonexistent_time(client, make_meeting, meeting_admin):
    meeting = make_meeting(start=datetime(2026, 6, 11, 15, 0, tzinfo=UTC))
    occurrence = meeting.occurrences.get()
    client.force_login(meeting_admin)
    url = reverse("meetings:move_occurrence", args=[meeting.uuid, occurrence.uuid])
    response = client.post(
        url, {"date": "2027-03-14", "start_time": "02:30", "duration_minutes": "60"}
    )
    assert response.status_code == 400
    assert "does not exist" in response.content.decode()
    response = client.post(
        url, {"date": "2026-06-12", "start_time": "09:00", "duration_minutes": "1500"}
    )
    assert response.status_code == 400
    assert "at most 24 hours" in response.content.decode()
    response = client.post(
        url, {"date": "2026-06-12", "start_time": "09:00", "duration_minutes": "45"}
    )
    assert response.status_code == 302
    occurrence.refresh_from_db()
    assert occurrence.start == datetime(2026, 6, 12, 13, 0, tzinfo=UTC)
    assert occurrence.is_modified
