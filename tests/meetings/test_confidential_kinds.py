"""Visit rooms and care-coordination meetings stay out of the generic meetings
tools: the Wagtail admin, the /meetings/ pages and feed, reminders, minutes."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
import vobject
from django.core import mail
from django.urls import reverse

from meetings import services
from meetings.models import ActionItem, Meeting, Minutes
from tests.meetings.conftest import NOW

START = datetime(2026, 6, 12, 15, 0, tzinfo=UTC)


@pytest.fixture
def visit_room(clinician, patient):
    with time_machine.travel(NOW, tick=False):
        return services.create_visit_room(
            clinician=clinician,
            patient=patient,
            start=START,
            duration_minutes=20,
            time_zone="America/Chicago",
        )


@pytest.fixture
def care_meeting(make_meeting, clinician):
    with time_machine.travel(NOW, tick=False):
        return make_meeting(
            kind=Meeting.Kind.CARE_COORDINATION,
            title="Plan for bed 4",
            start=START,
            invitees=[clinician],
        )


@pytest.mark.parametrize("who", ["meeting_admin", "site_admin"])
@time_machine.travel(NOW, tick=False)
def test_admin_viewsets_hide_confidential_meetings(
    client, request, who, make_meeting, visit_room, care_meeting, clinician
):
    ordinary = make_meeting(title="Board of governors", start=START)
    visit_occurrence = visit_room.occurrences.get()
    visit_item = ActionItem.objects.create(
        occurrence=visit_occurrence, description="Call back", owner=clinician
    )
    client.force_login(request.getfixturevalue(who))

    listing = client.get(reverse("meetings_admin:index")).content.decode()
    assert "Board of governors" in listing
    assert "Plan for bed 4" not in listing
    assert reverse("meetings_admin:edit", args=[ordinary.pk]) in listing
    for hidden in (visit_room, care_meeting):
        assert reverse("meetings_admin:edit", args=[hidden.pk]) not in listing
    assert (
        client.get(reverse("meetings_admin:edit", args=[ordinary.pk])).status_code
        == 200
    )
    for meeting in (visit_room, care_meeting):
        edit = reverse("meetings_admin:edit", args=[meeting.pk])
        assert client.get(edit).status_code == 404
        assert (
            client.post(edit, {"title": "x", "recording_enabled": "on"}).status_code
            == 404
        )
        assert (
            client.get(reverse("meetings_admin:delete", args=[meeting.pk])).status_code
            == 404
        )
    visit_room.refresh_from_db()
    assert visit_room.recording_enabled is False
    assert visit_room.title == "Telemedicine visit"

    # Meeting administrators may only view sittings and action items; site
    # administrators (superusers) may change them, but not a visit's. Wagtail
    # answers a missing permission with a redirect to the dashboard.
    refused = 404 if who == "site_admin" else 302
    dates = client.get(reverse("meeting-dates:index")).content.decode()
    assert "Board of governors" in dates
    assert "Telemedicine visit" not in dates
    assert "Care coordination meeting" not in dates
    sitting_edit = reverse("meeting-dates:edit", args=[visit_occurrence.pk])
    assert client.get(sitting_edit).status_code in (refused, 404)
    assert client.post(sitting_edit, {"is_cancelled": "on"}).status_code in (
        refused,
        404,
    )
    if who == "site_admin":
        assert client.get(sitting_edit).status_code == 404
    visit_occurrence.refresh_from_db()
    assert visit_occurrence.is_cancelled is False

    actions = client.get(reverse("meeting-actions:index")).content.decode()
    assert "Call back" not in actions
    item_edit = reverse("meeting-actions:edit", args=[visit_item.pk])
    if who == "site_admin":
        assert client.get(item_edit).status_code == 404


@time_machine.travel(START - timedelta(minutes=5), tick=False)
def test_generic_meetings_pages_refuse_visit_rooms(client, visit_room, patient):
    client.force_login(patient)
    assert (
        client.get(reverse("meetings:join", args=[visit_room.uuid])).status_code == 404
    )
    assert (
        client.get(reverse("meetings:detail", args=[visit_room.uuid])).status_code
        == 404
    )
    # The token-bearing context is still there for the visits app to use.
    assert services.join_context(meeting=visit_room, user=patient).jwt


@time_machine.travel(NOW, tick=False)
def test_visit_rooms_are_not_in_my_meetings_or_the_feed(
    client, make_meeting, visit_room, clinician
):
    # The clinician organizes the visit room, and is invited to a staff meeting.
    make_meeting(title="Patient council", start=START, invitees=[clinician])
    client.force_login(clinician)
    page = client.get(reverse("meetings:mine")).content.decode()
    assert "Patient council" in page
    assert "Telemedicine visit" not in page
    assert str(visit_room.uuid) not in page

    secret = services.feed_for(clinician).secret
    client.logout()
    response = client.get(reverse("meetings:calendar_feed", args=[secret]))
    assert response.status_code == 200
    calendar = vobject.readOne(response.content.decode())
    summaries = [event.summary.value for event in calendar.vevent_list]
    assert summaries == ["Patient council"]
    assert str(visit_room.uuid) not in response.content.decode()


def test_visit_rooms_get_no_meetings_reminders(visit_room, patient, clinician):
    occurrence = visit_room.occurrences.get()
    assert occurrence.next_reminder_at is None
    for moment in (START - timedelta(hours=23), START - timedelta(minutes=15)):
        with time_machine.travel(moment, tick=False):
            services.sweep_reminders()
    assert mail.outbox == []

    # Defensive: even a row that is due (set by hand) sends nothing.
    occurrence.next_reminder_at = START - timedelta(minutes=15)
    occurrence.save(update_fields=["next_reminder_at"])
    with time_machine.travel(START - timedelta(minutes=14), tick=False):
        services.sweep_reminders()
    assert mail.outbox == []
    occurrence.refresh_from_db()
    assert occurrence.next_reminder_at is None


@time_machine.travel(START + timedelta(hours=2), tick=False)
def test_no_minutes_or_actions_for_confidential_kinds(
    client, visit_room, care_meeting, meeting_admin, clinician
):
    # The care meeting's organizer is the meeting administrator (its host).
    client.force_login(meeting_admin)
    occurrence = care_meeting.occurrences.get()
    url = reverse("meetings:minutes", args=[care_meeting.uuid, occurrence.uuid])
    assert client.get(url).status_code == 404
    assert (
        client.post(url, {"save_minutes": "1", "text": "Pt. febrile"}).status_code
        == 404
    )
    detail = client.get(reverse("meetings:detail", args=[care_meeting.uuid]))
    assert detail.status_code == 200
    assert url not in detail.content.decode()

    for meeting in (visit_room, care_meeting):
        sitting = meeting.occurrences.get()
        with pytest.raises(services.RecordsNotAllowed):
            services.save_minutes(occurrence=sitting, author=clinician, text="x")
        with pytest.raises(services.RecordsNotAllowed):
            services.add_action_item(
                occurrence=sitting, description="Order labs", owner=clinician
            )
    assert Minutes.objects.count() == 0
    assert ActionItem.objects.count() == 0
