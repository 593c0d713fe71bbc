from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib import admin
from django.test import RequestFactory
from django.utils import timezone

from meetings.models import Meeting
from tests.visits.factories import booked_visit
from visits.access import Relation, relation_to, shared_with
from visits.errors import VisitsError
from visits.models import AuditEvent, BreakGlassGrant, Referral
from visits.models.audit import AppendOnlyError
from visits.services.record import save_note, sign_note
from visits.services.sharing import (
    create_referral,
    open_break_glass,
    review_break_glass,
    schedule_care_meeting,
)
from visits.services.visit_flow import start_note

pytestmark = pytest.mark.django_db


def test_audit_log_is_append_only(patient):
    event = AuditEvent.objects.create(action="read", what="visit", patient=patient)
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(what="nothing")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).what == "visit"


def test_admin_cannot_change_or_delete_audit_events(site_admin):
    model_admin = admin.site._registry[AuditEvent]
    request = RequestFactory().get("/django-admin/")
    request.user = site_admin
    assert model_admin.has_view_permission(request)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


def _signed_note(patient, clinician):
    visit = booked_visit(patient, clinician)
    note = save_note(note=start_note(visit=visit), assessment="A.", plan="P.")
    return sign_note(note=note, clinician=clinician)


def test_specialist_sees_only_shared_items_until_expiry(patient, clinician, specialist):
    shared = _signed_note(patient, clinician)
    other_visit = booked_visit(
        patient, clinician, after=timezone.now() + timedelta(days=2)
    )
    unshared = sign_note(
        note=save_note(note=start_note(visit=other_visit), assessment="B", plan="Q"),
        clinician=clinician,
    )
    referral = create_referral(
        clinician=clinician,
        patient=patient,
        specialist=specialist,
        reason="Please assess.",
        notes=[shared],
        days=7,
    )
    assert relation_to(specialist, patient) is None
    assert shared_with(specialist, referral)
    assert shared_with(specialist, shared)
    assert not shared_with(specialist, unshared)
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        assert not shared_with(specialist, shared)
        assert not shared_with(specialist, referral)


def test_specialist_reads_are_logged_per_item(client, patient, clinician, specialist):
    shared = _signed_note(patient, clinician)
    referral = create_referral(
        clinician=clinician,
        patient=patient,
        specialist=specialist,
        reason="Please assess.",
        notes=[shared],
    )
    client.force_login(specialist)
    page = client.get(f"/visits/referrals/{referral.uuid}/")
    assert page.status_code == 200
    assert "Please assess." in page.content.decode()
    logged = AuditEvent.objects.filter(actor=specialist, patient=patient, action="read")
    assert set(logged.values_list("object_uuid", flat=True)) == {
        referral.uuid,
        shared.uuid,
    }
    assert client.get(f"/visits/{shared.visit.uuid}/").status_code == 404
    assert client.get(f"/visits/patients/{patient.uuid}/").status_code == 404


def test_care_meeting_from_referral_has_a_generic_title(patient, clinician, specialist):
    referral = create_referral(
        clinician=clinician,
        patient=patient,
        specialist=specialist,
        reason="Suspected melanoma on the left arm.",
    )
    start = timezone.now() + timedelta(days=3)
    schedule_care_meeting(referral=referral, start=start, duration_minutes=30)
    meeting = Meeting.objects.get(uuid=referral.meeting_uuid)
    assert meeting.kind == Meeting.Kind.CARE_COORDINATION
    assert meeting.title == "Care coordination meeting"
    assert "melanoma" not in f"{meeting.title} {meeting.agenda}"
    assert specialist in meeting.invitees.all()
    with pytest.raises(VisitsError, match="already has"):
        schedule_care_meeting(referral=referral, start=start)


def test_break_glass_needs_a_reason_is_time_boxed_and_reviewed(
    client, patient, clinician, reviewer, auditor, settings
):
    with pytest.raises(VisitsError, match="at least 15 characters"):
        open_break_glass(user=reviewer, patient=patient, reason="because")
    client.force_login(reviewer)
    assert client.get(f"/visits/patients/{patient.uuid}/").status_code == 404
    response = client.post(
        f"/visits/patients/{patient.uuid}/break-glass/",
        {"reason": "Patient collapsed during a group call; need allergies."},
    )
    assert response.status_code == 302
    assert relation_to(reviewer, patient) == Relation.BREAK_GLASS
    page = client.get(f"/visits/patients/{patient.uuid}/")
    assert page.status_code == 200
    assert "emergency access" in page.content.decode()
    assert AuditEvent.objects.filter(
        actor=reviewer, action="break_glass", what="patient_record"
    ).exists()
    later = timezone.now() + timedelta(minutes=settings.VISITS_BREAK_GLASS_MINUTES + 1)
    with time_machine.travel(later):
        assert relation_to(reviewer, patient) is None
    grant = BreakGlassGrant.objects.get()
    client.force_login(auditor)
    queue = client.get("/visits/audit/break-glass/").content.decode()
    assert "need allergies" in queue
    with pytest.raises(VisitsError, match="own emergency access"):
        review_break_glass(grant=grant, reviewer=reviewer, note="fine")
    client.post(f"/visits/audit/break-glass/{grant.uuid}/", {"note": "Justified."})
    grant.refresh_from_db()
    assert grant.reviewed_by == auditor


def test_patient_sees_who_looked_and_auditor_searches(
    client, patient, clinician, other_patient, auditor
):
    visit = booked_visit(patient, clinician)
    client.force_login(clinician)
    client.get(f"/visits/{visit.uuid}/")
    client.force_login(other_patient)
    client.get(f"/visits/{visit.uuid}/")
    client.force_login(patient)
    log = client.get("/visits/access-log/").content.decode()
    assert clinician.display_name in log
    assert "Tried to open a visit and was refused" in log
    assert other_patient.display_name not in log
    client.force_login(auditor)
    searched = client.post("/visits/audit/", {"actor": "other_patient"})
    assert searched.status_code == 302
    assert searched.url == "/visits/audit/"  # criteria never ride in the URL
    body = client.get(searched.url).content.decode()
    assert f"/visits/{visit.uuid}/" in body and "Was refused" in body
    assert clinician.username not in body  # the filter held
    client.force_login(clinician)
    assert client.get("/visits/audit/").status_code == 404


def test_audit_search_by_patient_keeps_the_patient_out_of_urls(
    client, patient, clinician, auditor
):
    visit = booked_visit(patient, clinician)
    client.force_login(clinician)
    client.get(f"/visits/{visit.uuid}/")
    client.force_login(auditor)
    searched = client.post("/visits/audit/", {"patient": patient.username})
    assert patient.username not in searched.url
    page = client.get(searched.url)
    assert page.status_code == 200
    assert f"/visits/{visit.uuid}/" in page.content.decode()
    assert f"patient={patient.username}" not in page.content.decode()


def test_break_glass_access_cannot_refer_the_patient_on(
    client, patient, clinician, reviewer, specialist
):
    note = _signed_note(patient, clinician)
    open_break_glass(
        user=reviewer,
        patient=patient,
        reason="Patient collapsed during a group call; need allergies.",
    )
    assert relation_to(reviewer, patient) == Relation.BREAK_GLASS
    client.force_login(reviewer)
    url = f"/visits/patients/{patient.uuid}/referrals/new/"
    assert client.get(url).status_code == 404
    response = client.post(
        url,
        {
            "specialist": str(specialist.uuid),
            "reason": "Please assess.",
            "notes": [str(note.uuid)],
            "days": 90,
        },
    )
    assert response.status_code == 404
    assert not Referral.objects.exists()
    assert (
        AuditEvent.objects.filter(
            actor=reviewer, action="denied", what="referral", patient=patient
        ).count()
        == 2
    )
    # The clinician with a care link still may.
    client.force_login(clinician)
    assert client.get(url).status_code == 200


def test_care_meeting_time_is_read_in_the_clinicians_zone(
    client, patient, clinician, specialist
):
    clinician.time_zone = "Asia/Tokyo"
    clinician.save(update_fields=["time_zone"])
    booked_visit(patient, clinician)
    referral = create_referral(
        clinician=clinician,
        patient=patient,
        specialist=specialist,
        reason="Please assess.",
    )
    day = (timezone.now() + timedelta(days=10)).date()
    client.force_login(clinician)
    response = client.post(
        f"/visits/referrals/{referral.uuid}/meeting/",
        {"start": f"{day:%Y-%m-%d}T09:00", "duration_minutes": 30},
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    meeting = Meeting.objects.get(uuid=referral.meeting_uuid)
    tokyo_nine = datetime.combine(day, time(9, 0), tzinfo=ZoneInfo("Asia/Tokyo"))
    assert meeting.start == tokyo_nine
    assert meeting.start.astimezone(UTC).hour == 0
