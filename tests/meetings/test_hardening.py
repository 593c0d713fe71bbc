"""Issue 13, findings 1, 2 and 8: staff-only pickers, a sane date window, fan-out caps.

Each test failed on main before the fix: patients were offered as invitees,
9999-12-31 was accepted and broke every feed, 2,000 guests were queued.
"""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
import vobject
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.roles import Role
from meetings import services
from meetings.models import Guest, InvitationEmail, Meeting, Occurrence
from meetings.services.invitations import send_invitation
from tests.conftest import make_person
from tests.meetings.conftest import NOW

pytestmark = pytest.mark.django_db


def schedule_post(**overrides) -> dict:
    data = {
        "kind": "administrative",
        "title": "Quality committee",
        "date": "2026-06-17",
        "start_time": "10:00",
        "end_time": "11:00",
        "time_zone": "America/New_York",
        "repeat": "",
    }
    data.update(overrides)
    return data


# --- Finding 1: patients never in staff pickers ---------------------------------


@time_machine.travel(NOW, tick=False)
def test_the_scheduling_form_offers_staff_and_never_patients(
    client, reviewer, patient, other_patient, specialist
):
    client.force_login(reviewer)
    html = client.get(reverse("meetings:schedule")).content.decode()
    assert "Specialist (specialist)" in html
    assert "(patient)" not in html
    assert "(other_patient)" not in html
    # Groups read as roles, and the patients' group is not offered at all.
    assert (
        ">Meeting administrator</label>" in html
        or "Meeting administrator</label>" in html
    )
    assert 'value="{}"'.format(Group.objects.get(name="patient").pk) not in html
    assert ">patient<" not in html and "clinical_reviewer" not in html


@time_machine.travel(NOW, tick=False)
def test_posting_a_patient_as_invitee_or_co_host_is_refused(client, reviewer, patient):
    client.force_login(reviewer)
    for field in ("invitees", "co_hosts"):
        response = client.post(
            reverse("meetings:schedule"), schedule_post(**{field: [patient.pk]})
        )
        assert response.status_code == 400
    patients = Group.objects.get(name=Role.PATIENT.value)
    response = client.post(
        reverse("meetings:schedule"), schedule_post(groups=[patients.pk])
    )
    assert response.status_code == 400
    assert not Meeting.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_the_service_refuses_patients_except_in_visit_rooms(
    make_meeting, clinician, patient
):
    with pytest.raises(ValidationError, match="Only staff members"):
        make_meeting(invitees=[patient])
    with pytest.raises(ValidationError, match="Only staff members"):
        make_meeting(co_hosts=[patient])
    room = services.create_visit_room(
        clinician=clinician,
        patient=patient,
        start=datetime(2026, 6, 11, 15, 0, tzinfo=UTC),
        duration_minutes=20,
        time_zone="America/Chicago",
    )
    assert list(room.invitees.all()) == [patient]


@time_machine.travel(NOW, tick=False)
def test_wagtail_meeting_and_action_forms_offer_no_patients(
    client, site_admin, make_meeting, clinician
):
    patient = make_person("pat", [Role.PATIENT], full_name="Pat Patient")
    meeting = make_meeting(invitees=[clinician])
    occurrence = meeting.occurrences.get()
    item = services.add_action_item(
        occurrence=occurrence, description="Send the rota", owner=clinician
    )
    client.force_login(site_admin)
    meeting_form = client.get(f"/admin/meetings/edit/{meeting.pk}/")
    action_form = client.get(f"/admin/meeting-actions/edit/{item.pk}/")
    for response in (meeting_form, action_form):
        assert response.status_code == 200
        html = response.content.decode()
        assert clinician.display_name in html
        assert "Pat Patient" not in html
    meeting_html = meeting_form.content.decode()
    assert "Clinical reviewer" in meeting_html
    assert "clinical_reviewer" not in meeting_html
    with pytest.raises(ValidationError):
        services.add_action_item(
            occurrence=occurrence, description="Call back", owner=patient
        )


# --- Finding 2: a sane date window, and feeds robust to what is stored -----------


@time_machine.travel(NOW, tick=False)
def test_a_far_future_date_is_refused_with_a_message(client, meeting_admin):
    client.force_login(meeting_admin)
    for field, value in [
        ("date", "9999-12-31"),
        ("date", "0001-01-01"),
        ("end_date", "9999-12-31"),
    ]:
        response = client.post(
            reverse("meetings:schedule"), schedule_post(**{field: value})
        )
        assert response.status_code == 400
        assert "Please choose a date between" in response.content.decode()
    response = client.post(
        reverse("meetings:schedule"),
        schedule_post(
            repeat="weekly", repeat_until="9999-12-31", skip_dates="9999-12-24"
        ),
    )
    assert response.status_code == 400
    assert not Meeting.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_the_service_and_the_move_form_refuse_far_dates(client, make_meeting):
    with pytest.raises(ValidationError, match="Please choose a date between"):
        make_meeting(start=datetime(9999, 12, 31, 12, 0, tzinfo=UTC))
    meeting = make_meeting()
    occurrence = meeting.occurrences.get()
    client.force_login(meeting.organizer)
    url = reverse("meetings:move_occurrence", args=[meeting.uuid, occurrence.uuid])
    response = client.post(
        url, {"date": "9999-12-31", "start_time": "10:00", "duration_minutes": 60}
    )
    assert response.status_code == 400
    assert "Please choose a date between" in response.content.decode()
    occurrence.refresh_from_db()
    assert occurrence.start == datetime(2026, 6, 10, 15, 0, tzinfo=UTC)


@time_machine.travel(NOW, tick=False)
def test_action_item_due_dates_are_bounded(client, make_meeting, clinician):
    meeting = make_meeting(invitees=[clinician])
    occurrence = meeting.occurrences.get()
    with pytest.raises(ValidationError):
        services.add_action_item(
            occurrence=occurrence,
            description="Audit",
            owner=clinician,
            due_date=date(9999, 12, 31),
        )


@time_machine.travel(NOW, tick=False)
def test_feed_and_invitation_survive_a_year_9999_sitting_stored_earlier(
    client, make_meeting, specialist
):
    kept = make_meeting(title="Kept meeting", invitees=[specialist])
    broken = make_meeting(title="Broken meeting", invitees=[specialist])
    far = datetime(9999, 12, 31, 23, 0, tzinfo=UTC)
    # As stored before the window existed (bypassing every check).
    Meeting.objects.filter(pk=broken.pk).update(start=far)
    Occurrence.objects.filter(meeting=broken).update(start=far, original_start=far)

    feed = services.feed_for(specialist)
    response = client.get(reverse("meetings:calendar_feed", args=[feed.secret]))
    assert response.status_code == 200
    calendar = vobject.readOne(response.content.decode())
    assert [event.summary.value for event in calendar.vevent_list] == ["Kept meeting"]

    row = InvitationEmail.objects.filter(meeting=broken).first()
    row.meeting.refresh_from_db()
    result = send_invitation(invitation=row)  # must not raise OverflowError
    assert result.sent_at is None
    assert result.last_error.startswith("Cannot build the invitation")
    assert kept.occurrences.count() == 1


# --- Finding 8: caps on guests and invitees ----------------------------------------


@time_machine.travel(NOW, tick=False)
def test_two_thousand_guests_are_refused_with_a_message(
    client, meeting_admin, mailoutbox
):
    client.force_login(meeting_admin)
    emails = "\n".join(f"guest{n}@outside.example" for n in range(2000))
    response = client.post(
        reverse("meetings:schedule"), schedule_post(guest_emails=emails)
    )
    assert response.status_code == 400
    assert "at most 50 outside guests" in response.content.decode()
    assert Guest.objects.count() == 0
    assert InvitationEmail.objects.count() == 0
    with pytest.raises(ValidationError, match="at most 50 outside guests"):
        services.schedule_meeting(
            organizer=meeting_admin,
            kind=Meeting.Kind.ADMINISTRATIVE,
            title="Open day",
            start=NOW + timedelta(days=1),
            duration_minutes=60,
            time_zone="UTC",
            guest_emails=emails.split(),
        )


@time_machine.travel(NOW, tick=False)
def test_too_many_people_are_refused_counting_group_members(
    client, settings, meeting_admin, clinician, specialist, reviewer
):
    settings.MEETINGS_MAX_PARTICIPANTS = 2
    client.force_login(meeting_admin)
    clinicians = Group.objects.get(name=Role.CLINICIAN.value)
    response = client.post(
        reverse("meetings:schedule"), schedule_post(groups=[clinicians.pk])
    )
    assert response.status_code == 400
    assert "at most 2 people" in response.content.decode()
    response = client.post(
        reverse("meetings:schedule"), schedule_post(invitees=[specialist.pk])
    )
    assert response.status_code == 302


# --- The same class elsewhere: a far-future time in the Jitsi webhook ---------------


def test_a_year_9999_webhook_time_is_ignored_not_a_500(client, make_meeting, clinician):
    import json

    with time_machine.travel(NOW, tick=False):
        meeting = make_meeting(invitees=[clinician])
    payload = {
        "event_name": "muc-occupant-joined",
        "room_name": meeting.room_slug,
        "occupant": {
            "id": str(clinician.uuid),
            "occupant_jid": "abc@muc/1",
            "joined_at": 253402300799,  # 9999-12-31 23:59:59 UTC
        },
    }
    response = client.post(
        reverse("meetings:jitsi_events"),
        data=json.dumps(payload),
        content_type="application/json",
        HTTP_AUTHORIZATION="Bearer webhook-secret",
    )
    assert response.status_code == 200
    assert response.json() == {"applied": False}


@time_machine.travel(NOW, tick=False)
def test_the_wagtail_meeting_form_keeps_the_people_cap(
    client, settings, site_admin, make_meeting, clinician, specialist
):
    settings.MEETINGS_MAX_PARTICIPANTS = 1
    meeting = make_meeting(invitees=[clinician])
    client.force_login(site_admin)
    response = client.post(
        f"/admin/meetings/edit/{meeting.pk}/",
        {
            "title": "Quality committee",
            "agenda": "",
            "invitees": [clinician.pk, specialist.pk],
            "lobby_enabled": "on",
        },
    )
    assert response.status_code == 200  # the form again, with the message
    assert "at most 1 people" in response.content.decode()
    assert list(meeting.invitees.all()) == [clinician]
