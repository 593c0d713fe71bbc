"""The specialist's journey: a clinician in Berlin refers a Chicago patient to a
specialist in Kolkata (a half-hour offset) while the server runs in UTC. The
specialist gets an email without clinical details, finds the referral in the
Referrals inbox from the landing page, opens it, and the clinician is told."""

from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.local_time import format_time
from accounts.roles import Role
from tests.browser.helpers import serious_violations, sign_in
from tests.browser.shots import shoot
from tests.conftest import make_person
from tests.visits.factories import booked_visit
from visits.models import Referral
from visits.services.record import save_note, sign_note
from visits.services.visit_flow import start_note

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

REASON = "Please assess the pigmented lesion on the left shoulder."
ASSESSMENT = "Irregular pigmented lesion, 7 mm, left shoulder."
KOLKATA = "Asia/Kolkata"
BERLIN = "Europe/Berlin"


@pytest.fixture
def people(settings):
    assert settings.TIME_ZONE == "UTC"
    patient = make_person(
        "patient", [Role.PATIENT], time_zone="America/Chicago", full_name="Pat Patient"
    )
    clinician = make_person(
        "clinician",
        [Role.CLINICIAN],
        totp=True,
        full_name="Dana Clinician, MD",
        time_zone=BERLIN,
    )
    specialist = make_person(
        "specialist",
        [Role.SPECIALIST, Role.CLINICIAN],
        totp=True,
        full_name="Sam Specialist, MD",
        time_zone=KOLKATA,
    )
    visit = booked_visit(patient, clinician)
    note = save_note(note=start_note(visit=visit), assessment=ASSESSMENT, plan="Refer.")
    sign_note(note=note, clinician=clinician)
    return patient, clinician, specialist


def test_specialist_receives_finds_and_opens_a_referral_and_the_clinician_is_told(
    page, browser, live_server, people, mailoutbox
):
    patient, clinician, specialist = people

    # The referring clinician, from the landing page to the referral form.
    sign_in(page, live_server, "clinician", totp=True)
    page.get_by_role("link", name="My visits").first.click()
    page.get_by_role("link", name="Pat Patient").first.click()
    expect(page.get_by_role("heading", name="Readings over time")).to_be_visible()
    shoot(page, "clinician-patient-record")
    page.get_by_role("link", name="Refer to a specialist").click()
    expect(page.get_by_label("Access lasts (days)")).to_have_value("30")
    shoot(page, "clinician-referral-form")
    page.get_by_label("Specialist").select_option(label="Sam Specialist, MD")
    page.get_by_label("Reason for the referral").fill(REASON)
    page.get_by_label("Wellness check-up", exact=False).check()
    page.get_by_role("button", name="Send the referral").click()
    expect(page.get_by_text("The referral was sent to the specialist.")).to_be_visible()
    expect(
        page.get_by_text("Sam Specialist, MD has not opened this referral yet.")
    ).to_be_visible()
    referral = Referral.objects.get()

    # The email: who sent it and until when, in the specialist's zone; nothing
    # about the patient or why.
    [notice] = [m for m in mail.outbox if specialist.email in m.to]
    expires_in_kolkata = format_time(referral.expires_at, KOLKATA)
    assert f"You can open the referral until {expires_in_kolkata}." in notice.body
    assert (
        referral.expires_at.astimezone(ZoneInfo(KOLKATA)).strftime("%H:%M")
        in expires_in_kolkata
    )
    for secret in ("Pat Patient", REASON, "lesion", ASSESSMENT, "Wellness"):
        assert secret not in notice.subject + notice.body, secret

    # The specialist, from their landing page, by clicking.
    specialist_context = browser.new_context()
    desk = specialist_context.new_page()
    sign_in(desk, live_server, "specialist", totp=True)
    desk.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Referrals"
    ).click()
    expect(desk.get_by_role("heading", name="Referrals", exact=True)).to_be_visible()
    card = desk.locator(".referral-card").filter(has_text="Pat Patient")
    expect(card).to_contain_text("Dana Clinician, MD")
    expect(card).to_contain_text(f"Received{format_time(referral.created_at, KOLKATA)}")
    expect(card).to_contain_text(f"Access ends{expires_in_kolkata}")
    expect(card).to_contain_text("Signed note: Wellness check-up")
    expect(card).to_contain_text("New")
    assert serious_violations(desk) == []
    shoot(desk, "specialist-inbox")

    card.get_by_role("link", name="Referral for Pat Patient").click()
    expect(desk.get_by_role("heading", name="Referral for Pat Patient")).to_be_visible()
    expect(desk.get_by_text(REASON)).to_be_visible()
    expect(desk.get_by_text(ASSESSMENT)).to_be_visible()
    facts = desk.locator("dl.facts")
    expect(facts).to_contain_text(f"Access ends{expires_in_kolkata}")
    expect(facts).to_contain_text(f"Sent{format_time(referral.created_at, KOLKATA)}")
    assert serious_violations(desk) == []
    shoot(desk, "specialist-referral")
    specialist_context.close()

    # The referring clinician is told, in their own zone, by email and on the page.
    referral.refresh_from_db()
    assert referral.opened_at is not None
    opened_in_berlin = format_time(referral.opened_at, BERLIN)
    assert "(Europe/Berlin)" in opened_in_berlin
    [told] = [m for m in mail.outbox if clinician.email in m.to]
    assert told.subject == "The specialist has opened your referral"
    assert f"They first opened it on {opened_in_berlin}." in told.body
    assert "Pat Patient" not in told.body
    page.reload()
    expect(
        page.get_by_text(
            f"Sam Specialist, MD first opened this referral on {opened_in_berlin}."
        )
    ).to_be_visible()
    page.get_by_role("link", name="My visits").first.click()
    expect(page.get_by_text(f"opened on {opened_in_berlin}.")).to_be_visible()
    assert serious_violations(page) == []
    shoot(page, "clinician-visits-home")
