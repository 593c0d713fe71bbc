"""Referrals reach the specialist: an email without clinical details, an inbox,
a default access period, and a notice to the referring clinician on first open."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from accounts.local_time import format_time
from tests.visits.factories import booked_visit
from visits.models import AuditEvent, Referral
from visits.services.record import save_note, sign_note
from visits.services.sharing import create_referral, start_care_relationship
from visits.services.visit_flow import start_note
from visits.tasks import send_referral_notice_task, send_referral_opened_notice_task

pytestmark = pytest.mark.django_db

REASON = "Suspected melanoma on the left shoulder."
ASSESSMENT = "Irregular pigmented lesion, 7 mm."


@pytest.fixture
def kolkata_specialist(specialist):
    specialist.time_zone = "Asia/Kolkata"
    specialist.save(update_fields=["time_zone"])
    return specialist


def _signed_note(patient, clinician):
    visit = booked_visit(patient, clinician)
    note = save_note(note=start_note(visit=visit), assessment=ASSESSMENT, plan="Refer.")
    return sign_note(note=note, clinician=clinician)


def _refer(patient, clinician, specialist, capture, **options):
    note = _signed_note(patient, clinician)
    with capture(execute=True):
        return create_referral(
            clinician=clinician,
            patient=patient,
            specialist=specialist,
            reason=REASON,
            notes=[note],
            **options,
        )


def _mail_to(outbox, person):
    return [mail for mail in outbox if person.email in mail.to]


def test_the_specialist_gets_an_email_without_clinical_details(
    patient,
    clinician,
    kolkata_specialist,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    referral = _refer(
        patient, clinician, kolkata_specialist, django_capture_on_commit_callbacks
    )
    [mail] = _mail_to(mailoutbox, kolkata_specialist)
    text = mail.subject + mail.body
    assert mail.subject == "A new referral is waiting for you in TeleCampus"
    assert "Dana Clinician, MD has referred a patient to you" in mail.body
    expected = referral.expires_at.astimezone(ZoneInfo("Asia/Kolkata"))
    assert f"{expected:%H:%M} (Asia/Kolkata)" in mail.body
    assert format_time(referral.expires_at, "Asia/Kolkata") in mail.body
    assert f"/visits/referrals/{referral.uuid}/" in mail.body
    for secret in (
        patient.display_name,
        REASON,
        "melanoma",
        ASSESSMENT,
        "Wellness",
    ):
        assert secret not in text, secret
    assert not mail.attachments


def test_the_arrival_email_goes_out_once_however_often_the_task_runs(
    patient,
    clinician,
    specialist,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    referral = _refer(
        patient, clinician, specialist, django_capture_on_commit_callbacks
    )
    send_referral_notice_task(str(referral.uuid))
    send_referral_notice_task(str(referral.uuid))
    assert len(_mail_to(mailoutbox, specialist)) == 1


def test_the_inbox_lists_active_referrals_with_expiry_and_what_was_shared(
    client,
    patient,
    clinician,
    kolkata_specialist,
    other_patient,
    django_capture_on_commit_callbacks,
):
    referral = _refer(
        patient, clinician, kolkata_specialist, django_capture_on_commit_callbacks
    )
    start_care_relationship(clinician=clinician, patient=other_patient)
    expired = create_referral(
        clinician=clinician,
        patient=other_patient,
        specialist=kolkata_specialist,
        reason="Old question.",
        days=1,
        now=timezone.now() - timedelta(days=3),
    )
    client.force_login(kolkata_specialist)
    page = client.get("/visits/referrals/").content.decode()
    assert f"Referral for {patient.display_name}" in page
    assert f"/visits/referrals/{referral.uuid}/" in page
    assert "Dana Clinician, MD" in page
    assert format_time(referral.expires_at, "Asia/Kolkata") in page
    assert "Signed note: Wellness check-up" in page
    assert "New" in page
    assert other_patient.display_name not in page
    assert str(expired.uuid) not in page
    assert AuditEvent.objects.filter(
        actor=kolkata_specialist, patient=patient, what="referral_list", action="read"
    ).exists()
    assert not AuditEvent.objects.filter(
        actor=kolkata_specialist, patient=other_patient, what="referral_list"
    ).exists()


def test_the_inbox_is_only_for_specialists(client, patient, clinician):
    for person in (patient, clinician):
        client.force_login(person)
        assert client.get("/visits/referrals/").status_code == 404
    assert AuditEvent.objects.filter(what="referral_list", action="denied").count() == 2


def test_the_first_open_tells_the_referring_clinician_once(
    client,
    patient,
    clinician,
    kolkata_specialist,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    clinician.time_zone = "Europe/Berlin"
    clinician.save(update_fields=["time_zone"])
    referral = _refer(
        patient, clinician, kolkata_specialist, django_capture_on_commit_callbacks
    )
    client.force_login(kolkata_specialist)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(f"/visits/referrals/{referral.uuid}/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        client.get(f"/visits/referrals/{referral.uuid}/")
    send_referral_opened_notice_task(str(referral.uuid))
    referral.refresh_from_db()
    assert referral.opened_at is not None
    [mail] = _mail_to(mailoutbox, clinician)
    assert mail.subject == "The specialist has opened your referral"
    opened = format_time(referral.opened_at, "Europe/Berlin")
    assert f"They first opened it on {opened}." in mail.body
    assert patient.display_name not in mail.body and REASON not in mail.body
    # In the portal too: on the referral and on the clinician's visits home.
    client.force_login(clinician)
    page = client.get(f"/visits/referrals/{referral.uuid}/").content.decode()
    assert f"first opened this referral on {opened}." in page
    home = client.get("/visits/").content.decode()
    assert f"opened on {opened}." in home


def test_the_referrer_and_the_patient_opening_it_do_not_count_as_opened(
    client, patient, clinician, specialist, django_capture_on_commit_callbacks
):
    start_care_relationship(clinician=clinician, patient=patient)
    referral = _refer(
        patient, clinician, specialist, django_capture_on_commit_callbacks
    )
    for person in (clinician, patient):
        client.force_login(person)
        assert client.get(f"/visits/referrals/{referral.uuid}/").status_code == 200
    referral.refresh_from_db()
    assert referral.opened_at is None
    client.force_login(clinician)
    page = client.get(f"/visits/referrals/{referral.uuid}/").content.decode()
    assert "has not opened this referral yet" in page


def test_the_referral_form_offers_the_default_access_period(
    client, patient, clinician, specialist, settings
):
    settings.VISITS_REFERRAL_ACCESS_DAYS = 21
    start_care_relationship(clinician=clinician, patient=patient)
    client.force_login(clinician)
    page = client.get(f"/visits/patients/{patient.uuid}/referrals/new/")
    html = page.content.decode()
    assert 'name="days"' in html and 'value="21"' in html
    response = client.post(
        f"/visits/patients/{patient.uuid}/referrals/new/",
        {"specialist": str(specialist.uuid), "reason": REASON, "days": 21},
    )
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.expires_at - referral.created_at == timedelta(days=21)


def test_an_expired_referral_leaves_the_inbox(
    client, patient, clinician, specialist, django_capture_on_commit_callbacks
):
    referral = _refer(
        patient, clinician, specialist, django_capture_on_commit_callbacks, days=2
    )
    with time_machine.travel(timezone.now() + timedelta(days=3)):
        client.force_login(specialist)  # staff sessions end when idle
        page = client.get("/visits/referrals/").content.decode()
    assert str(referral.uuid) not in page
    assert "You have no active referrals." in page


def test_the_visits_home_points_the_specialist_to_new_referrals_only(
    client, patient, clinician, specialist, django_capture_on_commit_callbacks
):
    _refer(patient, clinician, specialist, django_capture_on_commit_callbacks)
    client.force_login(specialist)
    home = client.get("/visits/").content.decode()
    assert "You have 1 active referral (1 not opened yet)." in home
    assert 'href="/visits/referrals/"' in home
    for person in (patient, clinician):
        client.force_login(person)
        assert "Referrals to you" not in client.get("/visits/").content.decode()
