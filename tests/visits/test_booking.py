import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
import vobject
from django.utils import timezone

from accounts.roles import Role
from tests.concurrency import run_at_once
from tests.conftest import make_person
from tests.visits.factories import (
    booked_visit,
    choose_visit_type,
    first_free_start,
    open_clinic,
    visit_type,
)
from visits.models import Visit
from visits.services.booking import (
    BookingError,
    book_visit,
    cancel_visit,
    reschedule_visit,
)
from visits.services.slots import free_slots
from visits.services.sweeper import sweep


@pytest.mark.django_db
def test_booking_takes_the_slot_and_emails_a_calendar_without_clinical_details(
    patient, clinician, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        visit = booked_visit(patient, clinician, code="mental-health")
    kind = visit.visit_type
    slots = free_slots(
        visit_type=kind, clinicians=[clinician], start_date=visit.start.date(), days=1
    )
    assert visit.start not in {slot.start for slot in slots}
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    body = mail.body + mail.subject
    for secret in ("Mental", "counselling", "PHQ", clinician.full_name):
        assert secret not in body
    ics = mail.attachments[0].get_payload(decode=True)
    ics = ics.decode() if isinstance(ics, bytes) else ics
    event = vobject.readOne(ics).vevent
    assert event.summary.value == "TeleCampus video visit"
    assert event.dtstart.value == visit.start
    assert str(visit.uuid) in event.url.value
    assert "Mental" not in ics


@pytest.mark.django_db
def test_taken_slot_and_double_booked_patient_get_clear_messages(
    patient, other_patient, clinician, specialist
):
    visit = booked_visit(patient, clinician)
    with pytest.raises(BookingError, match="just taken"):
        book_visit(
            patient=other_patient,
            clinician=clinician,
            visit_type=visit.visit_type,
            start=visit.start,
        )
    open_clinic(specialist)
    with pytest.raises(BookingError, match="already have a visit"):
        book_visit(
            patient=patient,
            clinician=specialist,
            visit_type=visit.visit_type,
            start=visit.start + timedelta(minutes=15),
        )
    assert Visit.objects.count() == 1


@pytest.mark.django_db
def test_cancel_frees_the_slot_until_the_cutoff(patient, other_patient, clinician):
    visit = booked_visit(patient, clinician)
    with time_machine.travel(visit.start - timedelta(minutes=90)):
        with pytest.raises(BookingError, match="until 2 hours before"):
            cancel_visit(visit=visit, by=patient)
    cancel_visit(visit=visit, by=patient)
    visit.refresh_from_db()
    assert visit.status == Visit.Status.CANCELLED
    again = book_visit(
        patient=other_patient,
        clinician=clinician,
        visit_type=visit.visit_type,
        start=visit.start,
    )
    assert again.status == Visit.Status.BOOKED


@pytest.mark.django_db
def test_reschedule_moves_the_visit_and_keeps_it_if_the_new_slot_fails(
    patient, clinician
):
    visit = booked_visit(patient, clinician)
    later = visit.start + timedelta(hours=2)
    moved = reschedule_visit(visit=visit, start=later)
    assert moved.start == later and moved.rescheduled_from == visit
    with pytest.raises(BookingError):
        reschedule_visit(visit=moved, start=later + timedelta(minutes=7))
    moved.refresh_from_db()
    assert moved.status == Visit.Status.BOOKED


@pytest.mark.django_db
def test_sweeper_marks_no_shows_after_grace_and_frees_the_slot(
    patient, clinician, mailoutbox, settings, django_capture_on_commit_callbacks
):
    visit = booked_visit(patient, clinician)
    with (
        time_machine.travel(visit.start - timedelta(hours=3)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert sweep()["reminders"] == 1
        assert sweep()["reminders"] == 0
    assert [m.subject for m in mailoutbox][-1].startswith("Reminder")
    with time_machine.travel(visit.start + timedelta(minutes=5)):
        assert sweep()["no_shows"] == 0
    grace = settings.VISITS_NO_SHOW_GRACE_MINUTES
    with time_machine.travel(visit.start + timedelta(minutes=grace + 1)):
        assert sweep()["no_shows"] == 1
    visit.refresh_from_db()
    assert visit.status == Visit.Status.NO_SHOW
    assert not Visit.objects.active().filter(clinician=clinician).exists()


@pytest.mark.django_db
def test_one_sweeper_schedule_exists():
    from django_q.models import Schedule

    assert Schedule.objects.filter(func="visits.tasks.sweep_visits_task").count() == 1


def _race(targets):
    """Book with every target's arguments at once: "ok" or "refused" for each."""

    def attempt(kwargs):
        try:
            book_visit(**kwargs)
        except BookingError:
            return "refused"
        return "ok"

    return run_at_once([lambda kwargs=kwargs: attempt(kwargs) for kwargs in targets])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_fifty_patients_racing_for_one_slot_book_it_once(clinician):
    open_clinic(clinician)
    kind = visit_type("wellness")
    start = first_free_start(clinician, kind)
    patients = [make_person(f"racer{n}", [Role.PATIENT]) for n in range(50)]
    outcomes = _race(
        [
            {"patient": p, "clinician": clinician, "visit_type": kind, "start": start}
            for p in patients
        ]
    )
    assert outcomes.count("ok") == 1
    assert outcomes.count("refused") == 49
    assert Visit.objects.filter(clinician=clinician, start=start).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_patient_racing_fifty_clinicians_gets_one_visit(patient):
    kind = visit_type("wellness")
    doctors = [make_person(f"doc{n}", [Role.CLINICIAN]) for n in range(50)]
    for doctor in doctors:
        open_clinic(doctor)
    start = first_free_start(doctors[0], kind, after=timezone.now() + timedelta(days=2))
    outcomes = _race(
        [
            {"patient": patient, "clinician": d, "visit_type": kind, "start": start}
            for d in doctors
        ]
    )
    assert outcomes.count("ok") == 1
    assert outcomes.count("refused") == 49
    assert Visit.objects.filter(patient=patient).count() == 1


@pytest.mark.django_db
def test_booking_page_explains_taken_slots_and_daylight_saving_gaps(
    client, patient, other_patient, clinician
):
    taken = booked_visit(other_patient, clinician)
    client.force_login(patient)
    local = taken.start.astimezone(ZoneInfo("America/Chicago")).strftime(
        "%Y-%m-%dT%H:%M"
    )
    choose_visit_type(client, "wellness")
    response = client.post("/visits/book/", {"slot": f"{clinician.uuid}|{local}"})
    assert response.status_code == 409
    assert "just taken" in response.content.decode()
    gap = client.post("/visits/book/", {"slot": f"{clinician.uuid}|2026-03-08T02:30"})
    assert gap.status_code == 409
    assert "does not exist in America/Chicago" in gap.content.decode()
    nonsense = client.post("/visits/book/", {"slot": "x|y"})
    assert nonsense.status_code == 409
    assert Visit.objects.filter(patient=patient).count() == 0


LINK = re.compile(r'(?:href|action|src)="([^"]*)"')


@pytest.mark.django_db
def test_booking_keeps_the_kind_of_visit_out_of_every_url(client, patient, clinician):
    open_clinic(clinician)
    kind = visit_type("mental-health")
    client.force_login(patient)
    page = client.get("/visits/book/")
    assert page.status_code == 200
    assert str(kind.uuid) in page.content.decode()
    chosen = client.post("/visits/book/", {"visit_type": str(kind.uuid)})
    assert chosen.status_code == 302
    assert chosen.url == "/visits/book/"
    page = client.get("/visits/book/")
    html = page.content.decode()
    assert kind.eligibility_notes in html
    links = LINK.findall(html)
    assert links
    assert not [link for link in links if "type" in link or kind.code in link]
    slot = re.search(r'name="slot" id="slot-1" value="([^"]+)"', html).group(1)
    booked = client.post("/visits/book/", {"slot": slot, "reason": ""})
    assert booked.status_code == 302
    assert kind.code not in booked.url
    visit = Visit.objects.get(patient=patient)
    assert visit.visit_type == kind
    assert booked.url == f"/visits/{visit.uuid}/intake/"


@pytest.mark.django_db
def test_booking_refuses_an_unknown_kind_of_visit(client, patient):
    visit_type("wellness")
    client.force_login(patient)
    response = client.post("/visits/book/", {"visit_type": "mental-health"})
    assert response.status_code == 400
    assert "Please choose one of the kinds of visit." in response.content.decode()
    assert client.post("/visits/book/", {"slot": "x|y"}).status_code == 409
    assert not Visit.objects.exists()
