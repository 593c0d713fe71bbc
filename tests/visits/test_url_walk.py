"""Walks every visits URL as every persona: allowed versus 404, and every look audited.

The URL list comes from visits.urls itself, so a new URL without an entry in
EXPECTED fails here until someone decides who may open it.
"""

import pytest
from django.urls import reverse

from visits.models import AuditEvent, Dose, Referral, Visit
from visits.services.record import propose_follow_up
from visits.services.sharing import open_break_glass
from visits.urls import urlpatterns

PERSONAS = [
    "patient", "patient2", "clinician", "nurse", "specialist", "reviewer",
    "editor", "coordinator", "meetingadmin", "auditor", "admin",
]  # fmt: skip
EVERYONE = frozenset(PERSONAS)
CLINICIANS = frozenset({"clinician", "nurse", "specialist", "reviewer"})
# nurse holds break-glass access to patient; reviewer is a clinician with no link.
PATIENT_AND_CARE = frozenset({"patient", "clinician", "nurse"})
CARE = frozenset({"clinician", "nurse"})
SHARED = PATIENT_AND_CARE | {"specialist"}

EXPECTED = {
    "home": EVERYONE,
    "book": EVERYONE,
    "schedule": CLINICIANS,
    "visit": PATIENT_AND_CARE,
    "cancel": {"patient"},
    "reschedule": {"patient"},
    "intake": {"patient"},
    "consent": {"patient"},
    "device_check": PATIENT_AND_CARE,
    "waiting_room": {"patient"},
    "status": PATIENT_AND_CARE,
    "admit": {"clinician"},
    "running_late": {"clinician"},
    "end": {"clinician"},
    "video": PATIENT_AND_CARE,
    "note": {"clinician"},
    "addendum": {"clinician"},
    "summary": PATIENT_AND_CARE,
    "summary_pdf": PATIENT_AND_CARE,
    "messages": PATIENT_AND_CARE,
    "follow_up": {"clinician"},
    "follow_up_respond": {"patient"},
    "refills": EVERYONE,
    "refill_decide": {"clinician"},
    "medicines": EVERYONE,  # each person's own; empty for staff
    "medicine_schedule": PATIENT_AND_CARE,
    "dose_answer": {"patient"},
    # A notification's button: no session, the signed token is the authority, and
    # a GET (anyone's) is a 405 that reads nothing.
    "dose_answer_by_token": EVERYONE,
    "readings": EVERYONE,
    "readings_upload": EVERYONE,
    "alerts": EVERYONE,
    "alert_acknowledge": CARE,
    "patient": CARE,
    "readings_chart": PATIENT_AND_CARE,
    "thresholds": CARE,
    "document_upload": PATIENT_AND_CARE,
    "referral_create": {"clinician"},  # not under break-glass
    "break_glass": CLINICIANS,
    "fhir_export": PATIENT_AND_CARE,
    "document": SHARED,
    "referrals": {"specialist"},
    "referral": SHARED,
    "referral_meeting": {"clinician"},
    "access_log": EVERYONE,
    "connected_apps": EVERYONE,  # each person's own apps (only patients have any)
    "disconnect_app": EVERYONE,  # a button press: GET is 405, never 404
    "audit": {"auditor"},
    "break_glass_queue": {"auditor"},
    "break_glass_review": {"auditor"},
}


READS_NOTHING_ON_GET = {"dose_answer_by_token"}


def _world(people):
    patient = people["patient"]
    past = Visit.objects.get(patient=patient, status=Visit.Status.COMPLETED)
    proposal = propose_follow_up(visit=past, visit_type=past.visit_type, within_days=14)
    grant = open_break_glass(
        user=people["nurse"], patient=patient, reason="Found unresponsive on a call."
    )
    referral = Referral.objects.get(patient=patient)
    dose = Dose.objects.filter(schedule__patient=patient).first()
    return {
        "visit": past.uuid,
        "proposal": proposal.uuid,
        "refill": patient.refills.get().uuid,
        "prescription": patient.refills.get().uuid,
        "dose": dose.uuid,
        "alert": patient.alerts.get().uuid,
        "patient": patient.uuid,
        "document": patient.documents.get().uuid,
        "referral": referral.uuid,
        "grant": grant.uuid,
    }


def test_every_url_has_an_expectation():
    assert {p.name for p in urlpatterns} == set(EXPECTED)


@pytest.mark.parametrize("persona", PERSONAS)
def test_walk_every_url(persona, demo_world, client):
    keys = _world(demo_world)
    user = demo_world[persona]
    client.force_login(user)
    for pattern in urlpatterns:
        kwargs = {name: keys[name] for name in pattern.pattern.converters}
        url = reverse(f"visits:{pattern.name}", kwargs=kwargs)
        before = AuditEvent.objects.filter(actor=user).count()
        response = client.get(url)
        allowed = persona in EXPECTED[pattern.name]
        assert (response.status_code != 404) == allowed, (
            f"{persona} GET {pattern.name}: {response.status_code}"
        )
        assert response.status_code < 500
        if not kwargs or pattern.name in READS_NOTHING_ON_GET:
            continue
        logged = AuditEvent.objects.filter(actor=user).order_by("-at", "-pk")
        actions = {event.action for event in logged[: logged.count() - before]}
        if allowed:
            assert actions and "denied" not in actions, f"{persona} {pattern.name}"
        else:
            assert actions == {"denied"}, f"{persona} {pattern.name}: {actions}"
