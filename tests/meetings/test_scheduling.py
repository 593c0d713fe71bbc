"""The scheduling form: every bad input gets a clear message and a 400, never a 500."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from meetings import services
from meetings.models import Meeting
from tests.meetings.conftest import NOW

NEW_YORK = ZoneInfo("America/New_York")


def form(**overrides) -> dict:
    data = {
        "kind": "administrative",
        "title": "Budget review",
        "agenda": "",
        "date": "2026-06-15",
        "start_time": "09:00",
        "end_date": "",
        "end_time": "10:00",
        "time_zone": "America/New_York",
        "repeat": "",
        "repeat_count": "",
        "repeat_until": "",
        "skip_dates": "",
        "guest_emails": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def admin_client(client, meeting_admin):
    client.force_login(meeting_admin)
    return client


def post(client, **overrides):
    with time_machine.travel(NOW, tick=False):
        return client.post(reverse("meetings:schedule"), form(**overrides))


def test_a_valid_weekly_series_is_scheduled(admin_client, clinician):
    response = post(
        admin_client,
        repeat="weekly",
        repeat_count="6",
        skip_dates="2026-06-29",
        invitees=[clinician.pk],
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.recurrence_rule == "FREQ=WEEKLY;COUNT=6"
    assert meeting.start == datetime(2026, 6, 15, 13, 0, tzinfo=UTC)
    assert meeting.duration_minutes == 60
    assert meeting.occurrences.count() == 6
    assert meeting.occurrences.filter(is_cancelled=True).get().start.astimezone(
        NEW_YORK
    ) == datetime(2026, 6, 29, 9, 0, tzinfo=NEW_YORK)
    assert list(meeting.invitees.all()) == [clinician]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"end_time": "08:00"}, "must end after it starts"),
        ({"end_date": "2026-06-16", "end_time": "10:00"}, "at most 24 hours"),
        ({"repeat": "daily", "repeat_count": "500"}, "at most 104 meetings"),
        (
            {"date": "2027-03-14", "start_time": "02:30", "end_time": "04:00"},
            "does not exist in America/New_York",
        ),
        (
            {"guest_emails": "good@example.org, not-an-email"},
            "“not-an-email” is not a valid",
        ),
        ({"title": "Line one\r\nBcc: victim@example.org"}, "must fit on one line"),
        (
            {"repeat": "weekly", "repeat_until": "2026-06-01"},
            "cannot end before it starts",
        ),
        (
            {"repeat": "weekly", "repeat_count": "3", "repeat_until": "2026-07-01"},
            "not both",
        ),
        ({"repeat_count": "3"}, "Choose how often the meeting repeats"),
        (
            {"skip_dates": "next tuesday", "repeat": "weekly", "repeat_count": "2"},
            "YYYY-MM-DD",
        ),
        ({"time_zone": "Mars/Olympus"}, "Select a valid choice"),
        ({"date": "2026-02-30"}, "Enter a valid date"),
    ],
)
def test_bad_input_gets_a_clear_message(admin_client, overrides, message):
    response = post(admin_client, **overrides)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Meeting.objects.count() == 0


def test_an_unbounded_series_is_capped_with_a_message(admin_client):
    response = post(admin_client, repeat="daily")
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.occurrences.count() == 104
    assert meeting.recurrence_rule == "FREQ=DAILY;COUNT=104"
    with time_machine.travel(NOW, tick=False):
        page = admin_client.get(response["Location"]).content.decode()
    assert "limited to 104 meetings" in page


def test_ambiguous_fall_back_time_takes_the_first(admin_client):
    response = post(
        admin_client, date="2026-11-01", start_time="01:30", end_time="03:00"
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    # 01:30 happens twice; the first is still daylight time (UTC-4).
    assert meeting.start == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)
    assert meeting.duration_minutes == 150


def test_html_in_titles_is_kept_as_text_and_escaped_on_pages(admin_client):
    post(admin_client, title="<b>Bold</b> plans", agenda="<script>x()</script>")
    meeting = Meeting.objects.get()
    with time_machine.travel(NOW, tick=False):
        response = admin_client.get(reverse("meetings:detail", args=[meeting.uuid]))
    html = response.content.decode()
    assert "&lt;b&gt;Bold&lt;/b&gt; plans" in html
    assert "<script>x()</script>" not in html


def test_people_already_booked_are_warned_about(admin_client, make_meeting, clinician):
    with time_machine.travel(NOW, tick=False):
        make_meeting(
            title="Clinic board",
            start=datetime(2026, 6, 15, 13, 30, tzinfo=UTC),
            invitees=[clinician],
        )
    response = post(admin_client, invitees=[clinician.pk])
    assert response.status_code == 400
    assert "already have another meeting" in response.content.decode()
    assert clinician.display_name in response.content.decode()
    assert Meeting.objects.count() == 1
    response = post(admin_client, invitees=[clinician.pk], schedule_anyway="on")
    assert response.status_code == 302
    assert Meeting.objects.count() == 2


def test_the_service_refuses_a_clash_only_when_asked(
    make_meeting, clinician, specialist
):
    with time_machine.travel(NOW, tick=False):
        make_meeting(
            start=datetime(2026, 6, 15, 13, 30, tzinfo=UTC), invitees=[clinician]
        )
        clash = {"start": datetime(2026, 6, 15, 13, 0, tzinfo=UTC)}
        with pytest.raises(services.SchedulingConflicts) as refused:
            make_meeting(
                invitees=[clinician, specialist], refuse_conflicts=True, **clash
            )
        assert refused.value.people == [clinician]
        assert clinician.display_name in refused.value.message
        assert refused.value.status == 409
        assert Meeting.objects.count() == 1
        make_meeting(invitees=[clinician], **clash)
    assert Meeting.objects.count() == 2


def test_the_form_does_not_offer_visit_rooms(admin_client):
    # KIND_RULES: telemedicine visits are not schedulable; visits makes its rooms.
    page = admin_client.get(reverse("meetings:schedule")).content.decode()
    assert 'value="telemedicine_visit"' not in page
    refused = post(admin_client, kind="telemedicine_visit")
    assert refused.status_code == 400
    assert Meeting.objects.count() == 0


def test_people_without_the_permission_cannot_schedule(client, patient):
    client.force_login(patient)
    # accounts.permissions: the same 404 as a page that does not exist.
    assert client.get(reverse("meetings:schedule")).status_code == 404


def test_moving_a_series_keeps_local_time_and_raises_sequence(make_meeting):
    with time_machine.travel(NOW, tick=False):
        meeting = make_meeting(
            start=datetime(2026, 10, 22, 13, 0, tzinfo=UTC),
            recurrence_rule="FREQ=WEEKLY;COUNT=3",
        )
        first_uuids = list(meeting.occurrences.values_list("uuid", flat=True))
        services.move_meeting(
            meeting=meeting,
            start=datetime(2026, 10, 23, 14, 0, tzinfo=UTC),
            duration_minutes=30,
        )
    meeting.refresh_from_db()
    assert meeting.sequence == 1
    local = [
        o.start.astimezone(NEW_YORK).strftime("%a %H:%M")
        for o in meeting.occurrences.order_by("start")
    ]
    assert local == ["Fri 10:00", "Fri 10:00", "Fri 10:00"]
    assert sorted(meeting.occurrences.values_list("uuid", flat=True)) == sorted(
        first_uuids
    )
