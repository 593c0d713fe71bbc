"""The visit day as the clinician runs it: admission early, the room for both, the
workspace page, and a way on from every refusal."""

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import jwt
import pytest
import time_machine
import vobject
from bs4 import BeautifulSoup
from django.core import mail
from django.utils import timezone

from tests.visits.factories import booked_visit
from visits.models import (
    Alert,
    AuditEvent,
    PatientProfile,
    Reading,
    RefillRequest,
    Visit,
)
from visits.services.booking import cancel_visit
from visits.services.record import request_refill, save_note, sign_note
from visits.services.visit_flow import (
    accept_consent,
    admit_patient,
    check_in,
    current_consent,
    end_visit,
    start_note,
)

pytestmark = pytest.mark.django_db

SECRET = "test-jitsi-secret-that-is-long-enough-for-hs256"


@pytest.fixture
def jitsi_tokens(settings):
    settings.JITSI_APP_ID = "telecampus"
    settings.JITSI_APP_SECRET = SECRET
    settings.JITSI_EARLY_JOIN_MINUTES = 10
    return settings


def _checked_in(patient, clinician, *, minutes_before: int):
    visit = booked_visit(patient, clinician)
    accept_consent(visit=visit, document=current_consent(), ip_address=None)
    check_in(visit=visit, now=visit.start - timedelta(minutes=minutes_before))
    return visit


def ways_on(response) -> list[str]:
    """Links and buttons in the page's main content (the visits menu aside)."""
    main = BeautifulSoup(response.content, "html.parser").find("main")
    for nav in main.find_all("nav"):
        nav.decompose()
    links = [a.get_text(" ", strip=True) for a in main.find_all("a", href=True)]
    return links + [b.get_text(" ", strip=True) for b in main.find_all("button")]


def test_admitting_fifteen_minutes_early_puts_both_in_the_room(
    client, patient, clinician, jitsi_tokens
):
    visit = _checked_in(patient, clinician, minutes_before=20)
    with time_machine.travel(visit.start - timedelta(minutes=15), tick=False):
        client.force_login(clinician)
        admitted = client.post(f"/visits/{visit.uuid}/admit/")
        assert admitted.status_code == 302
        assert admitted.url == f"/visits/{visit.uuid}/video/"
        clinician_room = client.get(admitted.url)
        assert clinician_room.status_code == 200
        client.force_login(patient)
        assert client.get(f"/visits/{visit.uuid}/status/").json()["admitted"] is True
        patient_room = client.get(f"/visits/{visit.uuid}/video/")
        assert patient_room.status_code == 200
        now = timezone.now().timestamp()
        for page in (clinician_room, patient_room):
            claims = jwt.decode(
                page.context["join"].jwt, SECRET, algorithms=["HS256"], audience="jitsi"
            )
            # Valid now, 15 minutes before the start, and for the whole visit.
            assert claims["nbf"] <= now
            assert claims["exp"] >= visit.end.timestamp()


def test_the_room_stays_shut_until_admission_and_admission_has_a_margin(
    client, patient, clinician, jitsi_tokens
):
    visit = _checked_in(patient, clinician, minutes_before=30)
    with time_machine.travel(visit.start - timedelta(minutes=15), tick=False):
        client.force_login(patient)
        waiting = client.get(f"/visits/{visit.uuid}/video/")
        assert waiting.status_code == 409
        assert "Go to the waiting room" in ways_on(waiting)
    with time_machine.travel(visit.start - timedelta(minutes=31), tick=False):
        client.force_login(clinician)
        early = client.post(f"/visits/{visit.uuid}/admit/")
        assert early.status_code == 409
        assert "from 30 minutes before the start" in early.content.decode()
        assert "Back to the visit" in ways_on(early)
    with time_machine.travel(visit.end + timedelta(minutes=25), tick=False):
        # Late too: the room runs from admission for the visit's full length.
        admit_patient(visit=visit)
        client.force_login(patient)
        assert client.get(f"/visits/{visit.uuid}/video/").status_code == 200


def test_waiting_room_shows_running_late_and_an_estimated_wait(
    client, patient, clinician
):
    visit = _checked_in(patient, clinician, minutes_before=10)
    with time_machine.travel(visit.start - timedelta(minutes=4), tick=False):
        client.force_login(clinician)
        workspace = client.get(f"/visits/{visit.uuid}/")
        assert "Tell the patient you are running late" in workspace.content.decode()
        client.post(f"/visits/{visit.uuid}/running-late/", {"minutes": "15"})
        client.force_login(patient)
        page = client.get(f"/visits/{visit.uuid}/waiting-room/").content.decode()
        assert "The clinician is running late, about 15 minutes." in page
        assert "Estimated wait: about 19 minutes." in page


def test_every_refusal_in_the_visit_flow_offers_a_way_on(
    client, patient, other_patient, clinician
):
    visit = booked_visit(patient, clinician)
    base = f"/visits/{visit.uuid}"
    refusals = []

    def expect_refusal(who, method, path, data=None, status=None):
        client.force_login(who)
        response = getattr(client, method)(path, data or {})
        assert 400 <= response.status_code < 500, (path, response.status_code)
        if status:
            assert response.status_code == status, path
        refusals.append((who.username, path, response.status_code, ways_on(response)))

    with time_machine.travel(visit.start - timedelta(hours=3), tick=False):
        # Too early to check in; consent missing is a redirect, so accept first.
        accept_consent(visit=visit, document=current_consent(), ip_address=None)
        expect_refusal(patient, "post", f"{base}/waiting-room/")
        expect_refusal(patient, "get", f"{base}/video/")
        expect_refusal(clinician, "get", f"{base}/video/")
        expect_refusal(clinician, "post", f"{base}/admit/")
        expect_refusal(clinician, "post", f"{base}/end/")
        expect_refusal(clinician, "get", f"{base}/admit/", status=405)
        expect_refusal(clinician, "post", f"{base}/running-late/", {"minutes": "x"})
        expect_refusal(patient, "get", f"{base}/summary.pdf")
        expect_refusal(other_patient, "get", f"{base}/")
    cancel_visit(visit=visit, by=patient)
    expect_refusal(patient, "get", f"{base}/intake/")
    expect_refusal(patient, "post", f"{base}/waiting-room/")
    expect_refusal(patient, "get", f"{base}/video/")
    expect_refusal(patient, "get", f"{base}/reschedule/")
    expect_refusal(clinician, "get", f"{base}/video/")
    for who, path, status, ways in refusals:
        assert ways, f"{path} ({status}, {who}) leaves them with no link or button"
    by_path = {(who, path, status): ways for who, path, status, ways in refusals}
    assert "Book a new visit" in by_path[("patient", f"{base}/video/", 410)]
    assert "Back to the visit" in by_path[("clinician", f"{base}/video/", 410)]


def test_the_clinician_runs_the_visit_from_one_workspace(
    client, patient, clinician, settings
):
    PatientProfile.objects.create(patient=patient, date_of_birth=date(1980, 3, 2))
    earlier = booked_visit(patient, clinician)
    accept_consent(visit=earlier, document=current_consent(), ip_address=None)
    check_in(visit=earlier, now=earlier.start)
    admit_patient(visit=earlier, now=earlier.start)
    end_visit(visit=earlier, now=earlier.end)
    old_note = save_note(
        note=start_note(visit=earlier), assessment="Tension headache.", plan="Rest."
    )
    sign_note(note=old_note, clinician=clinician, now=earlier.end)
    visit = booked_visit(patient, clinician, after=earlier.end + timedelta(days=1))
    Visit.objects.filter(pk=visit.pk).update(reason="Headaches again.")
    reading = Reading.objects.create(
        patient=patient,
        kind=Reading.Kind.BLOOD_PRESSURE,
        systolic=182,
        diastolic=95,
        measured_at=timezone.now() - timedelta(hours=2),
    )
    Alert.objects.create(
        reading=reading,
        patient=patient,
        message="Blood pressure above the alert line.",
        created_at=timezone.now(),
    )
    refill = request_refill(
        patient=patient, clinician=clinician, medication="Lisinopril", dosage="10 mg"
    )
    before = AuditEvent.objects.count()

    client.force_login(clinician)
    page = client.get(f"/visits/{visit.uuid}/")
    text = BeautifulSoup(page.content, "html.parser").get_text(" ", strip=True)
    soup = BeautifulSoup(page.content, "html.parser")
    assert soup.find("h1").get_text(strip=True) == patient.display_name
    # The name is on the page, never in the tab title (shared screens, history).
    assert soup.title.get_text(strip=True).startswith("Visit workspace")
    assert patient.display_name not in soup.title.get_text()
    assert "years old" in text
    assert "Headaches again." in text
    assert "182/95 mm Hg" in text
    assert "Blood pressure above the alert line." in text
    assert "Refill requested: Lisinopril, 10 mg" in text
    assert "Tension headache." in text
    assert "Sign and lock the note" in text
    assert soup.select_one("#readings .readings-chart__table") is not None
    reads = set(
        AuditEvent.objects.filter(pk__gt=before, patient=patient).values_list(
            "what", flat=True
        )
    )
    assert {"visit", "readings", "clinical_note", "refill_request"} <= reads

    decided = client.post(
        f"/visits/refills/{refill.uuid}/",
        {"decision": "approve", "reason": "", "return_visit": str(visit.uuid)},
    )
    assert decided.url == f"/visits/{visit.uuid}/#medicines"
    refill.refresh_from_db()
    assert refill.status == RefillRequest.Status.APPROVED
    page = client.get(f"/visits/{visit.uuid}/").content.decode()
    assert "<li>Lisinopril, 10 mg. <a href=" in page


def test_the_message_after_ending_follows_the_note(client, patient, clinician):
    visit = _checked_in(patient, clinician, minutes_before=5)
    with time_machine.travel(visit.start, tick=False):
        admit_patient(visit=visit)
        note = save_note(note=start_note(visit=visit), assessment="A.", plan="P.")
        sign_note(note=note, clinician=clinician)
        client.force_login(clinician)
        ended = client.post(f"/visits/{visit.uuid}/end/", follow=True)
    text = ended.content.decode()
    assert "The note is already signed." in text
    assert "write and sign" not in text
    assert "Please finish and sign" not in text


def test_booking_email_time_matches_the_calendar_file(
    patient, clinician, django_capture_on_commit_callbacks
):
    patient.time_zone = "Asia/Kolkata"
    patient.save()
    with django_capture_on_commit_callbacks(execute=True):
        visit = booked_visit(patient, clinician)
    message = mail.outbox[-1]
    content = message.attachments[0].get_payload(decode=True)
    calendar = vobject.readOne(
        content.decode() if isinstance(content, bytes) else content
    )
    start = calendar.vevent.dtstart.value
    local = start.astimezone(ZoneInfo("Asia/Kolkata"))
    clinic = start.astimezone(ZoneInfo(visit.time_zone))
    assert f"{local:%H:%M} (Asia/Kolkata)" in message.body
    assert f"{clinic:%H:%M} ({visit.time_zone})" in message.body
    assert "UTC" not in message.body
