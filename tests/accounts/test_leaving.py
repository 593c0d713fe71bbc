"""Leaving closes every door at once (#14): a clinician deactivated through SCIM
while signed in, with a calendar feed, a guest link they made, a referral shared
to them and a meeting under way. Each door is shown shut, and audited."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.leaving import deactivate_person
from accounts.models import AccountEvent, DirectoryGroupRole, User
from accounts.roles import Role
from accounts.services import activate_totp
from meetings import services as meetings
from meetings.models import Guest, Meeting
from tests.accounts.scim_client import Scim, issue_token
from tests.conftest import make_person
from tests.visits.factories import booked_visit
from visits.models import Alert, AuditEvent, CareRelationship, Reading, Referral
from visits.services.record import save_note, sign_note
from visits.services.sharing import create_referral, start_care_relationship
from visits.services.visit_flow import start_note

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def jitsi(settings):
    settings.JITSI_DOMAIN = "meet.example.org"
    settings.JITSI_APP_ID = "telecampus"
    settings.JITSI_APP_SECRET = "test-secret-with-at-least-32-bytes-of-entropy!"
    settings.JITSI_PRIVATE_KEY = ""
    settings.BASE_URL = "http://testserver"


@pytest.fixture
def scim(client):
    return Scim(Client(), issue_token())


@pytest.fixture
def leaver(scim, settings):
    """Dana, provisioned by the directory, a clinician and a specialist through
    her groups (DirectoryGroupRole), with TOTP set up."""
    DirectoryGroupRole.objects.create(group="Clinicians", role=Role.CLINICIAN)
    DirectoryGroupRole.objects.create(group="Dermatology", role=Role.SPECIALIST)
    created = scim.create_user("dana@hospital.example", "dana@hospital.example")
    scim.create_group("Clinicians", [created["id"]])
    scim.create_group("Dermatology", [created["id"]])
    person = User.objects.get(uuid=created["id"])
    assert person.has_role(Role.CLINICIAN) and person.has_role(Role.SPECIALIST)
    activate_totp(user=person, secret=settings.DEMO_TOTP_SECRET)
    return person


def _world(leaver, patient, other_patient, clinician):
    """Every door Dana has open, each checked open before she leaves."""
    now = timezone.now()
    meeting = meetings.schedule_meeting(
        organizer=leaver,
        kind=Meeting.Kind.ADMINISTRATIVE,
        title="Tumour board",
        start=now - timedelta(minutes=5),
        duration_minutes=60,
        time_zone="America/Chicago",
        guest_emails=["visiting.professor@example.com"],
        send_invitations=False,
    )
    guest = Guest.objects.get(meeting=meeting)
    visit = booked_visit(patient, clinician)
    note = save_note(note=start_note(visit=visit), assessment="Lesion.", plan="Refer.")
    referral = create_referral(
        clinician=clinician,
        patient=patient,
        specialist=leaver,
        reason="Suspected melanoma.",
        notes=[sign_note(note=note, clinician=clinician)],
    )
    # Dana's own unfinished work: an unsigned note of her visit.
    # (Another patient: any visit of hers with the referred patient would keep
    # that record open to her as their clinician after she came back.)
    own_visit = booked_visit(other_patient, leaver)
    save_note(note=start_note(visit=own_visit), assessment="Draft.")
    start_care_relationship(clinician=leaver, patient=other_patient)
    reading = Reading.objects.create(
        patient=other_patient,
        kind=Reading.Kind.BLOOD_PRESSURE,
        systolic=182,
        diastolic=95,
        measured_at=now - timedelta(hours=2),
    )
    alert = Alert.objects.create(
        reading=reading, patient=other_patient, message="High.", created_at=now
    )
    return {
        "alert": alert,
        "meeting": meeting,
        "guest_url": meetings.guest_link(guest).removeprefix("http://testserver"),
        "feed_url": reverse(
            "meetings:calendar_feed", args=[meetings.feed_for(leaver).secret]
        ),
        "referral": referral,
        "own_visit": own_visit,
    }


def test_deactivating_through_scim_closes_every_door(
    client, scim, leaver, patient, other_patient, clinician
):
    world = _world(leaver, patient, other_patient, clinician)
    client.force_login(leaver)
    anonymous = Client()
    join_url = reverse("meetings:join", args=[world["meeting"].uuid])
    referral_url = reverse("visits:referral", args=[world["referral"].uuid])
    assert client.get(join_url).status_code == 200
    assert client.get(referral_url).status_code == 200
    assert anonymous.get(world["feed_url"]).status_code == 200
    assert anonymous.get(world["guest_url"]).status_code == 200
    assert Session.objects.count() == 1

    response = scim.patch(
        f"Users/{leaver.uuid}",
        [{"op": "Replace", "path": "active", "value": "False"}],  # as Entra sends it
    )

    assert response.status_code == 200, response.content
    assert response.json()["active"] is False
    # Session gone: her browser is signed out, the stored session deleted.
    assert Session.objects.count() == 0
    assert client.get(join_url).status_code == 302
    # Jitsi: no new token, whatever the path.
    leaver.refresh_from_db()
    with pytest.raises(meetings.NotInvited):
        meetings.join_context(meeting=world["meeting"], user=leaver)
    assert anonymous.get(world["feed_url"]).status_code == 404
    assert anonymous.get(world["guest_url"]).status_code == 404
    referral = Referral.objects.get(pk=world["referral"].pk)
    assert referral.expires_at <= timezone.now()

    # She comes back (the directory reactivates her): the doors stay shut.
    assert (
        scim.patch(
            f"Users/{leaver.uuid}", [{"op": "replace", "path": "active", "value": True}]
        ).status_code
        == 200
    )
    client.force_login(User.objects.get(pk=leaver.pk))
    assert client.get(referral_url).status_code == 404
    assert anonymous.get(world["feed_url"]).status_code == 404
    assert anonymous.get(world["guest_url"]).status_code == 404

    # Audited: one account entry per door, the report, and the PHI steps in visits.
    steps = set(
        AccountEvent.objects.filter(
            subject=leaver, action=AccountEvent.Action.DOOR_CLOSED
        ).values_list("step", flat=True)
    )
    assert {
        "sessions",
        "calendar_feed",
        "guest_links",
        "meeting_joins",
        "referral_shares",
        "care_relationships",
    } <= steps
    report = AccountEvent.objects.get(
        subject=leaver, action=AccountEvent.Action.DEACTIVATED
    )
    assert report.actor_client == "entra-id"
    counts = {door["step"]: door["count"] for door in report.detail["doors"]}
    assert counts["sessions"] == 1
    assert counts["calendar_feed"] == 1
    assert counts["guest_links"] == 1
    assert counts["referral_shares"] == 1
    open_work = report.detail["open_work"]
    assert [work["kind"] for work in open_work] == [
        "booked_visit",
        "unsigned_note",
        "open_alert",
    ]
    assert [work["reference"] for work in open_work] == [
        str(world["own_visit"].uuid),
        str(world["own_visit"].uuid),
        str(world["alert"].uuid),
    ]
    assert not CareRelationship.objects.filter(
        clinician=leaver, ended_at__isnull=True
    ).exists()
    assert AuditEvent.objects.filter(
        what="alert", object_uuid=world["alert"].uuid, path="leaving"
    ).exists()
    assert other_patient.full_name not in str(report.detail)
    assert AuditEvent.objects.filter(
        what="referral",
        action=AuditEvent.Action.WRITE,
        object_uuid=referral.uuid,
        path="leaving",
    ).exists()


def test_deleting_through_scim_deactivates_and_takes_directory_roles_back(scim, leaver):
    response = scim.call("delete", f"Users/{leaver.uuid}")

    assert response.status_code == 204
    leaver = User.objects.get(pk=leaver.pk)
    assert not leaver.is_active
    assert not leaver.has_role(Role.CLINICIAN)
    assert scim.call("get", f"Users/{leaver.uuid}").status_code == 404
    assert AccountEvent.objects.filter(
        subject=leaver, action=AccountEvent.Action.DEACTIVATED
    ).exists()


def test_an_administrators_deactivation_leaves_local_roles_alone(db):
    person = make_person("local", [Role.EDITOR])

    report = deactivate_person(person=person)

    person.refresh_from_db()
    assert not person.is_active
    assert person.has_role(Role.EDITOR)
    assert report.by == "The system"


def test_unticking_active_in_the_users_edit_form_closes_the_doors_too(
    client, site_admin
):
    leaver = make_person("lee", [Role.CLINICIAN], first_name="Lee", last_name="Leaver")
    feed_url = reverse(
        "meetings:calendar_feed", args=[meetings.feed_for(leaver).secret]
    )
    client.force_login(site_admin)
    edit_url = reverse("wagtailusers_users:edit", args=[leaver.pk])
    form = client.get(edit_url).context["form"]
    data = {
        name: value
        for name, value in ((field.html_name, field.value()) for field in form)
        if value not in (None, False)
    }
    data["groups"] = [group.pk for group in leaver.groups.all()]
    data.pop("is_active", None)

    response = client.post(edit_url, data)

    assert response.status_code == 302, response.context["form"].errors
    event = AccountEvent.objects.get(
        subject=leaver, action=AccountEvent.Action.DEACTIVATED
    )
    assert response["Location"] == reverse("accounts_leaving_report", args=[event.uuid])
    assert event.actor == site_admin
    assert Client().get(feed_url).status_code == 404
