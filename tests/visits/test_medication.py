"""Medication schedules: once-each reminders at local times across a
daylight-saving change (also with two sweepers at once on PostgreSQL), the signed
answer links a notification posts to, the schedule form's access and bad input,
adherence in the workspace, and the FHIR export read back with fhir.resources."""

import base64
import re
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail, signing
from django.test import Client
from django.utils import timezone

from accounts.roles import Role
from notifications import topics
from notifications.models import PushMessage
from notifications.services import save_subscription
from tests.concurrency import run_at_once
from tests.conftest import make_person
from tests.notifications.push_service import BrowserKeys, start_push_service
from tests.visits.factories import booked_visit
from tests.visits.fhir_checks import check_bundle
from visits.fhir import build_bundle
from visits.models import AuditEvent, Dose, MedicationSchedule
from visits.services.medication import (
    ANSWER_TOKEN_SALT,
    answer_dose,
    answer_token,
    plan_and_claim_due_doses,
    set_medication_schedule,
)
from visits.services.record import decide_refill, request_refill
from visits.services.sweeper import sweep

CHICAGO = ZoneInfo("America/Chicago")
# US daylight saving ends on Sunday 1 November 2026 at 02:00 in Chicago.
BEFORE_CHANGE = datetime(2026, 10, 30, 12, 0, tzinfo=UTC)
DAYS = [date(2026, 10, 31), date(2026, 11, 1), date(2026, 11, 2)]
EXPECTED_UTC = [
    datetime(2026, 10, 31, 13, 0, tzinfo=UTC),  # 08:00 CDT (UTC-5)
    datetime(2026, 11, 1, 1, 0, tzinfo=UTC),  # 20:00 CDT, 31 Oct
    datetime(2026, 11, 1, 14, 0, tzinfo=UTC),  # 08:00 CST (UTC-6), after the change
    datetime(2026, 11, 2, 2, 0, tzinfo=UTC),  # 20:00 CST, 1 Nov
    datetime(2026, 11, 2, 14, 0, tzinfo=UTC),
    datetime(2026, 11, 3, 2, 0, tzinfo=UTC),
]


def approved_prescription(patient, clinician, medication="Amlodipine 5 mg"):
    booked_visit(patient, clinician)
    refill = request_refill(
        patient=patient,
        clinician=clinician,
        medication=medication,
        dosage="one tablet",
    )
    return decide_refill(refill=refill, approve=True, reason="")


@pytest.fixture
def twice_daily(patient, clinician):
    with time_machine.travel(BEFORE_CHANGE, tick=False):
        prescription = approved_prescription(patient, clinician)
        return set_medication_schedule(
            prescription=prescription,
            set_by=patient,
            times_of_day=[time(8), time(20)],
            weekdays=[1, 2, 3, 4, 5, 6, 7],
            start_date=DAYS[0],
            end_date=DAYS[-1],
        )


@pytest.fixture
def patient_devices(patient):
    """The patient's phone (medicine names allowed) and laptop (not), both
    subscribed to medicine reminders at a real loopback push service."""
    service = start_push_service()
    keys = {}
    for name, names_allowed in (("phone", True), ("laptop", False)):
        keys[name] = BrowserKeys.new()
        save_subscription(
            user=patient,
            endpoint=service.endpoint(name),
            p256dh=keys[name].p256dh,
            auth=keys[name].auth,
            topics=[topics.MEDICINE_REMINDERS],
            allowed_topics=[topics.MEDICINE_REMINDERS],
            show_medicine_names=names_allowed,
        )
    yield service, keys
    service.server.shutdown()


def _check_one_push_per_dose_and_device(patient) -> None:
    doses = Dose.objects.filter(schedule__patient=patient)
    owed = Counter(PushMessage.objects.values_list("dedupe_key", flat=True))
    assert owed == {f"dose:{dose.uuid}": 2 for dose in doses}


def _sweep_every_hour(workers: int) -> list[tuple[datetime, str]]:
    """Run the sweeper (with `workers` at once) every hour from before the
    first dose to after the last, the clock moved each time; (when, subject) for
    every reminder mailed."""
    sent = []
    moment = datetime(2026, 10, 31, 5, 0, tzinfo=UTC)
    while moment <= datetime(2026, 11, 3, 6, 0, tzinfo=UTC):
        mail.outbox.clear()
        with time_machine.travel(moment, tick=False):
            if workers == 1:
                sweep()
            else:
                run_at_once([sweep for _ in range(workers)])
        sent += [
            (moment, message.subject)
            for message in mail.outbox
            if "medicine" in message.subject  # not the visit's own reminder
        ]
        moment += timedelta(hours=1)
    return sent


def _check_reminded_once_at_local_times(sent, patient) -> None:
    assert [when for when, _subject in sent] == EXPECTED_UTC
    local = [when.astimezone(CHICAGO).strftime("%H:%M") for when, _s in sent]
    assert local == ["08:00", "20:00"] * 3
    assert [subject for _when, subject in sent] == [
        "It is time for your 8:00 medicine",
        "It is time for your 20:00 medicine",
    ] * 3
    doses = Dose.objects.filter(schedule__patient=patient)
    assert doses.count() == 6
    assert not doses.filter(reminder_sent_at__isnull=True).exists()
    assert sorted(doses.values_list("reminder_sent_at", flat=True)) == EXPECTED_UTC


@pytest.mark.django_db(transaction=True)
def test_reminders_follow_local_time_across_the_daylight_saving_change(
    twice_daily, patient, patient_devices
):
    sent = _sweep_every_hour(workers=1)
    _check_reminded_once_at_local_times(sent, patient)
    _check_one_push_per_dose_and_device(patient)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_sweepers_at_once_remind_each_dose_once_across_the_change(
    twice_daily, patient, patient_devices
):
    sent = _sweep_every_hour(workers=2)
    _check_reminded_once_at_local_times(sent, patient)
    _check_one_push_per_dose_and_device(patient)
    service, _keys = patient_devices
    assert len(service.received) == 6 * 2


@pytest.mark.django_db
def test_the_reminder_email_names_no_medicine_and_links_the_medicines_page(
    twice_daily, patient, django_capture_on_commit_callbacks
):
    with time_machine.travel(EXPECTED_UTC[0], tick=False):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            sweep()
    (message,) = mail.outbox
    assert message.to == [patient.email]
    assert "It is time for your 8:00 medicine." in message.body
    assert "/visits/medicines/" in message.body
    for clinical in ("Amlodipine", "5 mg", "tablet"):
        assert clinical not in message.body + message.subject


@pytest.mark.django_db
def test_the_push_says_the_time_and_its_buttons_answer_the_dose(
    twice_daily, patient, patient_devices, django_capture_on_commit_callbacks
):
    service, keys = patient_devices
    dose = twice_daily.doses.first()
    with time_machine.travel(EXPECTED_UTC[0], tick=False):
        for _run in range(3):
            with django_capture_on_commit_callbacks(execute=True):
                sweep()
    assert PushMessage.objects.filter(dedupe_key=f"dose:{dose.uuid}").count() == 2
    pushed = {
        request.path: keys[request.path.rsplit("/", 1)[1]].decrypt(request.body)
        for request in service.received
    }
    assert set(pushed) == {"/push/phone", "/push/laptop"}
    assert pushed["/push/laptop"]["body"] == "Your 8:00 dose is due."
    assert pushed["/push/phone"]["body"] == ("Your 8:00 dose is due. Amlodipine 5 mg")
    laptop = pushed["/push/laptop"]
    assert laptop["title"] == "Time for your medicine"
    assert laptop["url"] == "/visits/medicines/"
    assert [(a["action"], a["title"]) for a in laptop["actions"]] == [
        ("taken", "Taken"),
        ("skipped", "Skipped"),
    ]
    taken = laptop["actions"][0]
    assert taken["url"] == "/visits/doses/answer/"
    with time_machine.travel(EXPECTED_UTC[0] + timedelta(minutes=5), tick=False):
        # What the service worker does when "Taken" is tapped: the token in the
        # body, no session, no CSRF token.
        response = Client(enforce_csrf_checks=True).post(
            taken["url"], {"token": taken["token"]}
        )
    assert response.status_code == 204
    dose.refresh_from_db()
    assert dose.status == Dose.Status.TAKEN


@pytest.mark.django_db
def test_after_downtime_an_old_dose_gets_no_late_reminder(twice_daily):
    with time_machine.travel(EXPECTED_UTC[0] + timedelta(hours=3), tick=False):
        mail.outbox.clear()
        counts = sweep()
    assert counts["dose_reminders"] == 0
    assert mail.outbox == []


def _post_token(client, dose, answer, token=None):
    token = token or answer_token(dose, answer)
    return client.post("/visits/doses/answer/", {"token": token})


@pytest.mark.django_db
def test_a_notification_button_answers_its_dose_with_a_signed_token(
    twice_daily, patient, other_patient
):
    dose = twice_daily.doses.first()
    client = Client(enforce_csrf_checks=True)  # the service worker has no session
    with time_machine.travel(dose.due_at, tick=False):
        token = answer_token(dose, "taken")
        # Only UUIDs inside: no medicine, dose or name can be read from the URL.
        payload = token.split(":")[0].lstrip(".")
        decoded = base64.urlsafe_b64decode(payload + "==")
        assert b"Amlodipine" not in decoded and b"tablet" not in decoded
        assert _post_token(client, dose, "taken", token).status_code == 204
        assert _post_token(client, dose, "taken", token).status_code == 204
        dose.refresh_from_db()
        assert dose.status == Dose.Status.TAKEN
        assert AuditEvent.objects.filter(
            what="medication_dose",
            action=AuditEvent.Action.WRITE,
            actor=patient,
            patient=patient,
            object_uuid=dose.uuid,
        ).exists()
        # Signed by someone else, for another patient, or altered: refused.
        claims = {"dose": str(dose.uuid), "answer": "skipped"}
        forged = signing.dumps(
            {**claims, "patient": str(patient.uuid)}, salt="somewhere-else"
        )
        assert _post_token(client, dose, "skipped", forged).status_code == 403
        wrong_patient = signing.dumps(
            {**claims, "patient": str(other_patient.uuid)}, salt=ANSWER_TOKEN_SALT
        )
        assert _post_token(client, dose, "skipped", wrong_patient).status_code == 403
        assert _post_token(client, dose, "skipped", token[:-2] + "xx").status_code == (
            403
        )
        assert client.get("/visits/doses/answer/").status_code == 405
    with time_machine.travel(dose.due_at + timedelta(days=2), tick=False):
        assert _post_token(client, dose, "skipped", token).status_code == 403
        late = answer_token(dose, "skipped")
    with time_machine.travel(dose.due_at + timedelta(days=8), tick=False):
        # Signed an hour ago but the dose is past answering: a clear 409.
        fresh = answer_token(dose, "skipped")
        assert _post_token(client, dose, "skipped", fresh).status_code == 409
    dose.refresh_from_db()
    assert dose.status == Dose.Status.TAKEN
    assert late


@pytest.mark.django_db
def test_the_patient_sets_a_schedule_bad_input_is_a_clear_400(
    client, patient, clinician, other_patient
):
    prescription = approved_prescription(patient, clinician)
    url = f"/visits/medicines/{prescription.uuid}/schedule/"
    client.force_login(patient)
    assert client.get(url).status_code == 200
    response = client.post(url, {"time_1": "08:00", "start_date": "2026-12-05"})
    assert response.status_code == 400
    assert "Please choose at least one day of the week." in response.content.decode()
    response = client.post(
        url,
        {
            "time_1": "8 o'clock",
            "weekdays": ["1"],
            "start_date": "2026-12-10",
            "end_date": "2026-12-01",
        },
    )
    assert response.status_code == 400
    assert "The last day must not be before the first day." in (
        response.content.decode()
    )
    assert not MedicationSchedule.objects.exists()
    response = client.post(
        url,
        {
            "time_1": "20:00",
            "time_2": "08:00",
            "weekdays": ["1", "3", "5"],
            "start_date": "2026-12-05",
        },
    )
    assert response.status_code == 302
    schedule = MedicationSchedule.objects.get()
    assert schedule.times_of_day == ["08:00", "20:00"]
    assert schedule.weekdays == [1, 3, 5]
    assert schedule.time_zone == "America/Chicago"
    assert AuditEvent.objects.filter(
        what="medication_schedule", action=AuditEvent.Action.WRITE, actor=patient
    ).exists()
    # Another patient, or a clinician with no link to this patient: 404.
    client.force_login(other_patient)
    assert client.get(url).status_code == 404
    stranger = make_person("stranger_md", [Role.CLINICIAN], totp=True)
    client.force_login(stranger)
    assert client.post(url, {"time_1": "09:00"}).status_code == 404
    assert MedicationSchedule.objects.count() == 1


@pytest.mark.django_db
def test_adherence_shows_in_the_workspace_and_the_fhir_export(
    client, patient, clinician
):
    start = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        visit = booked_visit(patient, clinician, after=start + timedelta(days=3))
        refill = request_refill(
            patient=patient,
            clinician=clinician,
            medication="Metformin",
            dosage="500 mg",
        )
        prescription = decide_refill(refill=refill, approve=True, reason="")
        set_medication_schedule(
            prescription=prescription,
            set_by=clinician,
            times_of_day=[time(9)],
            weekdays=[1, 2, 3, 4, 5, 6, 7],
            start_date=date(2026, 12, 1),
        )
    for day in range(1, 3):
        with time_machine.travel(start + timedelta(days=day), tick=False):
            sweep()
    doses = list(Dose.objects.order_by("due_at"))
    with time_machine.travel(start + timedelta(days=2, hours=4), tick=False):
        answer_dose(dose=doses[0], answer="taken")
        answer_dose(dose=doses[1], answer="skipped")
        client.force_login(clinician)
        page = client.get(f"/visits/{visit.uuid}/").content.decode()
        bundle = build_bundle(patient)
    summary = re.search(r'class="adherence-summary">([^<]*)<', page).group(1)
    # 1, 2 and 3 December at 09:00 Chicago are due; the third has no answer.
    assert summary == "Taken 1 of 3 doses (33%), skipped 1, not answered 1."
    assert AuditEvent.objects.filter(
        what="medication_schedule", actor=clinician, action=AuditEvent.Action.READ
    ).exists()
    parsed = check_bundle(bundle)
    kinds = Counter(entry.resource.get_resource_type() for entry in parsed.entry)
    assert kinds["MedicationStatement"] == 1
    assert kinds["MedicationAdministration"] == 2
    statement = next(
        e.resource
        for e in parsed.entry
        if e.resource.get_resource_type() == "MedicationStatement"
    )
    assert statement.status == "active"
    assert statement.medicationCodeableConcept.text == "Metformin"
    assert [str(t) for t in statement.dosage[0].timing.repeat.timeOfDay] == ["09:00:00"]
    assert statement.basedOn[0].reference == f"urn:uuid:{prescription.uuid}"
    statuses = sorted(
        e.resource.status
        for e in parsed.entry
        if e.resource.get_resource_type() == "MedicationAdministration"
    )
    assert statuses == ["completed", "not-done"]


@pytest.mark.django_db
def test_a_patient_who_has_left_gets_no_reminders_and_no_answers(twice_daily):
    dose = twice_daily.doses.get(due_at=EXPECTED_UTC[0])
    token = answer_token(dose, "taken")
    patient = twice_daily.patient
    patient.is_active = False
    patient.save(update_fields=["is_active"])

    with time_machine.travel(EXPECTED_UTC[0] + timedelta(minutes=1), tick=False):
        assert plan_and_claim_due_doses(now=timezone.now()) == []
        response = Client().post("/visits/doses/answer/", {"token": token})

    assert response.status_code == 403
    dose.refresh_from_db()
    assert dose.status == Dose.Status.PLANNED
