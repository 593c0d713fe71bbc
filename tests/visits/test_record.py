import io
from datetime import timedelta

import pytest
import time_machine
from pypdf import PdfReader

from tests.visits.factories import booked_visit
from visits.errors import VisitsError
from visits.models import RefillRequest
from visits.pdf import FetchRefused, refuse_every_url
from visits.services.record import (
    add_addendum,
    decide_refill,
    request_refill,
    save_note,
    send_secure_message,
    sign_note,
)
from visits.services.visit_flow import start_note

pytestmark = pytest.mark.django_db


def _note(patient, clinician):
    visit = booked_visit(patient, clinician)
    return visit, start_note(visit=visit)


def test_signing_locks_the_note_and_later_changes_are_addenda(patient, clinician):
    _visit, note = _note(patient, clinician)
    with pytest.raises(VisitsError, match="assessment and the plan"):
        sign_note(note=note, clinician=clinician)
    with pytest.raises(VisitsError, match="until it is signed"):
        add_addendum(note=note, author=clinician, text="Too early.")
    note = save_note(note=note, assessment="Viral rash.", plan="Emollient twice daily.")
    sign_note(note=note, clinician=clinician)
    with pytest.raises(VisitsError, match="signed and locked"):
        save_note(note=note, plan="Something else.")
    note.refresh_from_db()
    assert note.plan == "Emollient twice daily."
    with time_machine.travel("2030-01-02 10:00Z"):
        addendum = add_addendum(note=note, author=clinician, text="Photo reviewed.")
    assert addendum.author == clinician
    assert addendum.created_at.isoformat() == "2030-01-02T10:00:00+00:00"


def test_note_page_signs_through_the_form(client, patient, clinician):
    visit, _note_obj = _note(patient, clinician)
    client.force_login(clinician)
    response = client.post(
        f"/visits/{visit.uuid}/note/",
        {"assessment": "Tension headache.", "plan": "Rest.", "sign": "1"},
    )
    assert response.status_code == 302
    visit.note.refresh_from_db()
    assert visit.note.signed_by == clinician
    again = client.post(f"/visits/{visit.uuid}/note/", {"plan": "Changed."})
    assert again.status_code == 409
    assert "Add an addendum" in again.content.decode()


def test_summary_page_and_pdf_show_only_signed_content(client, patient, clinician):
    visit, note = _note(patient, clinician)
    save_note(note=note, assessment="Seasonal allergy.", plan="Cetirizine 10 mg daily.")
    client.force_login(patient)
    unsigned = client.get(f"/visits/{visit.uuid}/summary/").content.decode()
    assert "Seasonal allergy" not in unsigned
    assert "not signed" in unsigned
    assert client.get(f"/visits/{visit.uuid}/summary.pdf").status_code == 409
    sign_note(note=note, clinician=clinician)
    add_addendum(note=note, author=clinician, text="Avoid driving if drowsy.")
    response = client.get(f"/visits/{visit.uuid}/summary.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = "".join(
        page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages
    )
    assert "Seasonal allergy." in text
    assert "Cetirizine 10 mg daily." in text
    assert "Avoid driving if drowsy." in text


def test_pdf_renderer_fetches_nothing():
    with pytest.raises(FetchRefused):
        refuse_every_url("http://example.org/tracker.png")
    with pytest.raises(FetchRefused):
        refuse_every_url("file:///etc/passwd")


def test_refills_are_approved_or_denied_with_a_reason(client, patient, clinician):
    booked_visit(patient, clinician)
    refill = request_refill(
        patient=patient, clinician=clinician, medication="Metformin", dosage="500 mg"
    )
    with pytest.raises(VisitsError, match="reason for the denial"):
        decide_refill(refill=refill, approve=False, reason=" ")
    client.force_login(clinician)
    response = client.post(
        f"/visits/refills/{refill.uuid}/",
        {"decision": "deny", "reason": "Please book a visit for a blood test first."},
    )
    assert response.status_code == 302
    refill.refresh_from_db()
    assert refill.status == RefillRequest.Status.DENIED
    client.force_login(patient)
    page = client.get("/visits/refills/").content.decode()
    assert "Please book a visit for a blood test first." in page


def test_a_stranger_cannot_request_refills_from_any_clinician(patient, clinician):
    with pytest.raises(VisitsError, match="seen before"):
        request_refill(
            patient=patient, clinician=clinician, medication="Any", dosage="Any"
        )


def test_secure_message_email_carries_no_content(
    patient, clinician, mailoutbox, django_capture_on_commit_callbacks
):
    visit = booked_visit(patient, clinician)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        send_secure_message(
            visit=visit, sender=patient, body="My rash is spreading to my arms."
        )
    assert [m.to for m in mailoutbox] == [[clinician.email]]
    assert "rash" not in mailoutbox[0].body
    assert str(visit.uuid) in mailoutbox[0].body


def test_follow_up_accepted_leads_to_booking(client, patient, clinician):
    from visits.services.record import propose_follow_up

    visit = booked_visit(patient, clinician)
    proposal = propose_follow_up(
        visit=visit, visit_type=visit.visit_type, within_days=30, note="Recheck."
    )
    client.force_login(patient)
    response = client.post(f"/visits/follow-ups/{proposal.uuid}/", {"answer": "accept"})
    assert response.url == "/visits/book/"
    booking = client.get(response.url).content.decode()
    assert f'<option value="{visit.visit_type.uuid}" selected>' in booking
    proposal.refresh_from_db()
    assert proposal.status == "accepted"
    assert (
        client.post(
            f"/visits/follow-ups/{proposal.uuid}/", {"answer": "accept"}
        ).status_code
        == 409
    )


def test_cancel_cutoff_is_shown_on_the_page(client, patient, clinician):
    visit = booked_visit(patient, clinician)
    with time_machine.travel(visit.start - timedelta(minutes=30)):
        client.force_login(patient)
        response = client.post(f"/visits/{visit.uuid}/cancel/")
    assert response.status_code == 409
    assert "2 hours before" in response.content.decode()
