"""Opening a page that shows the note editor writes no note (a booked or cancelled
visit never gains one by being looked at), and every page that shows the note or
the intake records that read in the audit trail."""

from datetime import timedelta

import pytest
import time_machine
from bs4 import BeautifulSoup

from tests.visits.factories import booked_visit
from visits.models import AuditEvent, ClinicalNote
from visits.services.visit_flow import (
    accept_consent,
    check_in,
    current_consent,
    save_intake,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def jitsi_tokens(settings):
    settings.JITSI_APP_ID = "telecampus"
    settings.JITSI_APP_SECRET = "test-jitsi-secret-that-is-long-enough-for-hs256"


def reads_of(patient, after: int) -> set[str]:
    return set(
        AuditEvent.objects.filter(
            pk__gt=after, patient=patient, action=AuditEvent.Action.READ
        ).values_list("what", flat=True)
    )


def subjective_shown(response) -> str:
    soup = BeautifulSoup(response.content, "html.parser")
    return soup.find("textarea", attrs={"name": "subjective"}).get_text()


def test_the_workspace_shows_the_intake_without_creating_a_note(
    client, patient, clinician
):
    visit = booked_visit(patient, clinician)
    save_intake(visit=visit, answers={"reason": "Headaches again."}, scores={})
    before = AuditEvent.objects.count()
    client.force_login(clinician)
    page = client.get(f"/visits/{visit.uuid}/")
    assert page.status_code == 200
    assert "Headaches again." in subjective_shown(page)
    assert not ClinicalNote.objects.filter(visit=visit).exists()
    assert {"intake", "clinical_note"} <= reads_of(patient, before)


def test_a_cancelled_visits_workspace_creates_no_note(client, patient, clinician):
    visit = booked_visit(patient, clinician)
    client.force_login(patient)
    assert client.post(f"/visits/{visit.uuid}/cancel/").status_code == 302
    client.force_login(clinician)
    assert client.get(f"/visits/{visit.uuid}/").status_code == 200
    assert client.get(f"/visits/{visit.uuid}/note/").status_code == 200
    assert not ClinicalNote.objects.filter(visit=visit).exists()


def test_the_note_is_created_by_its_first_save(client, patient, clinician):
    visit = booked_visit(patient, clinician)
    save_intake(visit=visit, answers={"reason": "Headaches again."}, scores={})
    client.force_login(clinician)
    page = client.get(f"/visits/{visit.uuid}/note/")
    assert "Headaches again." in subjective_shown(page)
    assert not ClinicalNote.objects.filter(visit=visit).exists()
    saved = client.post(
        f"/visits/{visit.uuid}/note/",
        {
            "subjective": "Headaches again, worse in the morning.",
            "assessment": "Tension headache.",
            "return_to": "workspace",
        },
    )
    assert saved.url == f"/visits/{visit.uuid}/#note"
    note = ClinicalNote.objects.get(visit=visit)
    assert note.subjective == "Headaches again, worse in the morning."
    assert note.assessment == "Tension headache."


def test_the_video_page_records_the_note_read_and_creates_no_note(
    client, patient, clinician, jitsi_tokens
):
    visit = booked_visit(patient, clinician)
    accept_consent(visit=visit, document=current_consent(), ip_address=None)
    with time_machine.travel(visit.start - timedelta(minutes=5), tick=False):
        check_in(visit=visit)
        client.force_login(clinician)
        assert client.post(f"/visits/{visit.uuid}/admit/").status_code == 302
        before = AuditEvent.objects.count()
        page = client.get(f"/visits/{visit.uuid}/video/")
    assert page.status_code == 200
    assert "Sign and lock the note" in page.content.decode()
    assert "clinical_note" in reads_of(patient, before)
    assert not ClinicalNote.objects.filter(visit=visit).exists()
