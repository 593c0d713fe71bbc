"""The acceptance journey: the patient books, consents and waits, the clinician
admits them and signs a note, the patient reads the after-visit summary."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import serious_violations, sign_in
from tests.conftest import make_person
from tests.visits.factories import open_clinic
from visits.models import Visit, VisitType

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def clinic(settings):
    # The first free slot may be up to 30 minutes away; let the room open early.
    settings.JITSI_EARLY_JOIN_MINUTES = 60
    from accounts.roles import Role

    patient = make_person("patient", [Role.PATIENT], time_zone="America/Chicago")
    clinician = make_person(
        "clinician", [Role.CLINICIAN], totp=True, full_name="Dana Clinician, MD"
    )
    open_clinic(clinician)
    return patient, clinician


def choose_wellness(page, live_server):
    """The kind of visit is posted (kept in the session), never put in the URL."""
    page.goto(f"{live_server.url}/visits/book/")
    wellness = VisitType.objects.get(code="wellness")
    page.get_by_label("Kind of visit").select_option(str(wellness.uuid))
    page.get_by_role("button", name="Show free times").click()
    expect(page.locator("input[name=slot]").first).to_be_attached()
    assert "type" not in page.url


def test_patient_books_consents_waits_is_admitted_and_reads_the_summary(
    page, browser, live_server, clinic
):
    sign_in(page, live_server, "patient")
    choose_wellness(page, live_server)
    expect(page.get_by_role("heading", name="Book a video visit")).to_be_visible()
    assert serious_violations(page) == []
    page.locator("input[name=slot]").first.check()
    page.get_by_role("button", name="Book this time").click()

    expect(page.get_by_role("heading", name="Before your visit")).to_be_visible()
    page.get_by_label("What would you like to talk about?").fill("Sore throat.")
    page.get_by_role("button", name="Save my answers").click()

    expect(
        page.get_by_role("heading", name="Telehealth consent, version 1")
    ).to_be_visible()
    page.get_by_label("I have read the consent above and I agree to it.").check()
    page.get_by_role("button", name="Accept the consent").click()

    expect(
        page.get_by_role("heading", name="Check your camera and microphone")
    ).to_be_visible()
    page.get_by_role("link", name="Continue to the waiting room").click()
    page.get_by_role("button", name="Check in now").click()
    expect(page.locator("#waiting-status")).to_contain_text(
        "You are in the waiting room"
    )
    assert serious_violations(page) == []
    visit = Visit.objects.get()

    clinician_context = browser.new_context()
    doctor = clinician_context.new_page()
    sign_in(doctor, live_server, "clinician", totp=True)
    doctor.goto(f"{live_server.url}/visits/{visit.uuid}/")
    doctor.get_by_role("button", name="Admit the patient").click()
    expect(doctor).to_have_url(f"{live_server.url}/visits/{visit.uuid}/video/")

    # The waiting room notices the admission by itself and moves the patient on.
    expect(page).to_have_url(
        f"{live_server.url}/visits/{visit.uuid}/video/", timeout=15_000
    )
    expect(page.get_by_role("region", name="Video meeting")).to_be_attached()

    doctor.get_by_role("button", name="End the visit").click()
    expect(doctor.get_by_role("heading", name="Clinical note")).to_be_visible()
    expect(doctor.get_by_label("Subjective")).to_contain_text("Sore throat.")
    doctor.get_by_label("Assessment").fill("Viral pharyngitis.")
    doctor.get_by_label("Plan", exact=True).fill("Fluids, rest and paracetamol.")
    doctor.get_by_role("button", name="Sign and lock the note").click()
    expect(doctor.get_by_text("The note is locked.")).to_be_visible()
    clinician_context.close()

    page.goto(f"{live_server.url}/visits/{visit.uuid}/summary/")
    expect(page.get_by_text("Viral pharyngitis.")).to_be_visible()
    expect(page.get_by_text("Fluids, rest and paracetamol.")).to_be_visible()
    expect(page.get_by_role("link", name="Download the summary as PDF")).to_be_visible()
    assert serious_violations(page) == []


def test_visit_pages_fit_a_phone_screen(page, live_server, clinic):
    sign_in(page, live_server, "patient")
    page.set_viewport_size({"width": 360, "height": 740})
    choose_wellness(page, live_server)
    for path in ("/visits/", "/visits/book/", "/visits/readings/"):
        page.goto(live_server.url + path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth > window.innerWidth"
        )
        assert overflow is False, path
        assert serious_violations(page) == []
