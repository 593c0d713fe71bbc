from datetime import timedelta

import jwt
import pytest
import time_machine

from meetings.models import Meeting
from tests.visits.factories import booked_visit
from visits.errors import VisitsError
from visits.models import AuditEvent, Visit
from visits.services.catalogue import publish_consent
from visits.services.video import join_for
from visits.services.visit_flow import (
    accept_consent,
    check_in,
    consent_needed,
    current_consent,
    save_intake,
    start_note,
)

pytestmark = pytest.mark.django_db

SECRET = "test-jitsi-secret-that-is-long-enough-for-hs256"


@pytest.fixture
def jitsi_tokens(settings):
    settings.JITSI_APP_ID = "telecampus"
    settings.JITSI_APP_SECRET = SECRET
    return settings


def test_a_new_consent_version_is_asked_again_before_joining(patient, clinician):
    visit = booked_visit(patient, clinician)
    with time_machine.travel(visit.start - timedelta(minutes=5)):
        with pytest.raises(VisitsError, match="consent"):
            check_in(visit=visit)
        accept_consent(visit=visit, document=current_consent(), ip_address="10.0.0.1")
        assert consent_needed(patient) is None
        second = publish_consent(text="Version two of the telehealth consent.")
        assert consent_needed(patient) == second
        with pytest.raises(VisitsError, match="consent"):
            check_in(visit=visit)
        accept_consent(visit=visit, document=second, ip_address=None)
        assert check_in(visit=visit).status == Visit.Status.WAITING


def test_intake_and_questionnaire_scores_prefill_the_note(patient, clinician):
    visit = booked_visit(patient, clinician, code="mental-health")
    save_intake(
        visit=visit,
        answers={"reason": "Low mood since spring."},
        scores={"phq9": [2, 2, 1, 1, 1, 1, 1, 1, 0], "gad7": [1, 1, 1, 1, 0, 0, 0]},
    )
    note = start_note(visit=visit)
    assert "Low mood since spring." in note.subjective
    assert "PHQ-9 score 10 (moderate)." in note.subjective
    assert "GAD-7 score 4 (minimal)." in note.subjective
    with pytest.raises(VisitsError, match="every questionnaire item"):
        save_intake(visit=visit, answers={}, scores={"phq9": [3], "gad7": [0] * 7})


def test_intake_form_page_saves_answers(client, patient, clinician):
    visit = booked_visit(patient, clinician, code="mental-health")
    client.force_login(patient)
    page = client.get(f"/visits/{visit.uuid}/intake/")
    assert "Little interest or pleasure in doing things" in page.content.decode()
    data = {"q_reason": "Stress at work."}
    data |= {f"phq9_{n}": "1" for n in range(1, 10)}
    data |= {f"gad7_{n}": "2" for n in range(1, 8)}
    response = client.post(f"/visits/{visit.uuid}/intake/", data)
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.intake_answers["phq9"]["score"] == 9
    assert visit.intake_answers["gad7"]["score"] == 14
    incomplete = client.post(f"/visits/{visit.uuid}/intake/", {"q_reason": "x"})
    assert incomplete.status_code == 400


def _claims(token: str) -> dict:
    return jwt.decode(token, SECRET, algorithms=["HS256"], audience="jitsi")


def test_waiting_room_admission_and_video_tokens(
    client, patient, clinician, jitsi_tokens
):
    visit = booked_visit(patient, clinician)
    accept_consent(visit=visit, document=current_consent(), ip_address=None)
    with time_machine.travel(visit.start - timedelta(minutes=5), tick=False):
        client.force_login(patient)
        assert client.post(f"/visits/{visit.uuid}/waiting-room/").status_code == 302
        status = client.get(f"/visits/{visit.uuid}/status/").json()
        assert status == {
            "status": "waiting",
            "admitted": False,
            "running_late_minutes": 0,
            "estimated_wait_minutes": 5,
            "message": "You are in the waiting room. The clinician will let you in "
            "shortly. Estimated wait: about 5 minutes.",
        }
        refused = client.get(f"/visits/{visit.uuid}/video/")
        assert refused.status_code == 409
        assert "waiting room" in refused.content.decode()

        client.force_login(clinician)
        client.post(f"/visits/{visit.uuid}/running-late/", {"minutes": "10"})
        client.force_login(patient)
        late = client.get(f"/visits/{visit.uuid}/status/").json()
        assert "running late, about 10 minutes" in late["message"]

        client.force_login(clinician)
        admitted = client.post(f"/visits/{visit.uuid}/admit/")
        assert admitted.url == f"/visits/{visit.uuid}/video/"
        clinician_page = client.get(admitted.url)
        assert clinician_page.status_code == 200
        client.force_login(patient)
        assert client.get(f"/visits/{visit.uuid}/status/").json()["admitted"] is True
        patient_page = client.get(f"/visits/{visit.uuid}/video/")
        assert patient_page.status_code == 200
        # Decoded while the clock is inside the visit window (nbf/exp are checked).
        claims = {
            person: _claims(page.context["join"].jwt)
            for person, page in ((clinician, clinician_page), (patient, patient_page))
        }

    visit.refresh_from_db()
    meeting = Meeting.objects.get(uuid=visit.meeting_uuid)
    assert meeting.kind == Meeting.Kind.TELEMEDICINE_VISIT
    assert visit.visit_type.name not in meeting.title
    assert not meeting.recording_enabled
    window_start = visit.start - timedelta(
        minutes=jitsi_tokens.JITSI_EARLY_JOIN_MINUTES
    )
    window_end = visit.end + timedelta(
        minutes=jitsi_tokens.JITSI_RECONNECT_GRACE_MINUTES
    )
    for person, page, moderator in (
        (clinician, clinician_page, True),
        (patient, patient_page, False),
    ):
        token = claims[person]
        assert token["room"] == meeting.room_slug
        assert token["iss"] == "telecampus"
        assert token["aud"] == "jitsi"
        assert token["nbf"] == int(window_start.timestamp())
        assert token["exp"] == int(window_end.timestamp())
        assert token["context"]["user"]["id"] == str(person.uuid)
        assert token["context"]["user"]["moderator"] is moderator
        assert token["context"]["features"]["recording"] is False
        assert page.context["join"].is_moderator is moderator


def test_ending_the_visit_refuses_new_joins(client, patient, clinician, jitsi_tokens):
    visit = booked_visit(patient, clinician)
    accept_consent(visit=visit, document=current_consent(), ip_address=None)
    with time_machine.travel(visit.start, tick=False):
        check_in(visit=visit)
        client.force_login(clinician)
        client.post(f"/visits/{visit.uuid}/admit/")
        assert client.post(f"/visits/{visit.uuid}/end/").status_code == 302
        visit.refresh_from_db()
        assert visit.status == Visit.Status.COMPLETED
        with pytest.raises(VisitsError, match="ended"):
            join_for(visit, patient)
        client.force_login(patient)
        gone = client.get(f"/visits/{visit.uuid}/video/")
        assert gone.status_code == 410
        meeting = Meeting.objects.get(uuid=visit.meeting_uuid)
        assert meeting.status == Meeting.Status.ENDED


def test_a_cancelled_visits_links_say_so(client, patient, clinician):
    visit = booked_visit(patient, clinician)
    client.force_login(patient)
    client.post(f"/visits/{visit.uuid}/cancel/")
    page = client.get(f"/visits/{visit.uuid}/")
    assert "This visit was cancelled" in page.content.decode()
    joined = client.post(f"/visits/{visit.uuid}/waiting-room/")
    assert joined.status_code == 409
    assert "cancelled" in joined.content.decode()


def test_patient_a_on_patient_bs_visit_gets_404_and_is_audited(
    client, patient, other_patient, clinician
):
    visit = booked_visit(patient, clinician)
    client.force_login(other_patient)
    for suffix in ("", "summary/", "messages/", "waiting-room/", "status/"):
        assert client.get(f"/visits/{visit.uuid}/{suffix}").status_code == 404
    denied = AuditEvent.objects.filter(actor=other_patient, action="denied")
    assert denied.count() == 5
    assert set(denied.values_list("patient", flat=True)) == {patient.pk}
    assert denied.first().ip_address == "127.0.0.1"
