"""Coordinator and clinician journeys in Chromium, from the landing page by clicking
only (no page.goto after sign-in), with screenshots at 1280 and 390 px.

The server runs in UTC; the coordinator works in Asia/Kolkata (a half-hour
offset), so every time shown must carry that zone.
"""

import csv
import io
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import ProfessionalIdentifier
from accounts.roles import Role
from tests.browser.helpers import serious_violations, sign_in
from tests.browser.shots import settle
from tests.browser.test_courses import answer, cme_activity, play
from tests.certificates.factories import claim
from tests.conftest import make_person
from tests.courses import factories

__all__ = ["cme_activity"]  # the fixture, shared with test_courses

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SHOTS = Path("/tmp/shots-staffcme")  # noqa: S108 (the agreed place to look at them)
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def check_and_shoot(page, name: str) -> None:
    """At 1280 and 390 px: a screenshot each, no sideways scrolling on the phone
    and no serious or critical axe-core finding."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size(DESKTOP)
    settle(page)
    page.screenshot(path=str(SHOTS / f"{name}-1280.png"), full_page=True)
    page.set_viewport_size(PHONE)
    settle(page)
    page.screenshot(path=str(SHOTS / f"{name}-390.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], (name, width)
    assert serious_violations(page) == [], name
    page.set_viewport_size(DESKTOP)


def test_coordinator_issues_in_bulk_from_the_activity_and_downloads_pars(
    page, live_server, coordinator, clinician, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    coordinator.time_zone = "Asia/Kolkata"
    coordinator.save()
    activity = factories.activity(lectures=0)
    # Dana can be reported to her board; Pat has not finished the activity.
    clinician.board_reporting_consent_at = timezone.now()
    clinician.birth_month, clinician.birth_day = 4, 17
    clinician.save()
    ProfessionalIdentifier.objects.create(
        user=clinician, kind="board", issuer="ABIM", number="246810"
    )
    claim(clinician, activity=activity)
    pat = make_person("pat", [Role.CLINICIAN], full_name="Pat Unfinished")
    claim(pat, activity=activity, complete=False)

    page.set_viewport_size(DESKTOP)
    sign_in(page, live_server, "coordinator", totp=True)
    expect(page.get_by_role("heading", level=1)).to_have_text("My work")
    activities = page.get_by_role("region", name="CME activities")
    expect(activities).to_contain_text("2 credit claims, 2 without a certificate")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link")).to_have_text(
        ["My work", "CME reports", "Certificates", "My meetings", "My profile"]
    )
    check_and_shoot(page, "coordinator-home")

    # The activity's report in the Wagtail admin: a tab title, PARS and issuing.
    activities.get_by_role("link", name=activity.title).click()
    expect(page).to_have_title(re.compile(rf"^CME report: {activity.title}"))
    expect(page.get_by_text("1 completion is in the file.")).to_be_visible()
    expect(
        page.get_by_role("cell", name="no consent to board reporting; missing board ID")
    ).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Dana Clinician"))).to_contain_text(
        "(Asia/Kolkata)"
    )
    page.set_viewport_size(DESKTOP)
    settle(page)
    page.screenshot(path=str(SHOTS / "coordinator-report-1280.png"), full_page=True)
    page.set_viewport_size(PHONE)
    settle(page)
    page.screenshot(path=str(SHOTS / "coordinator-report-390.png"), full_page=True)
    page.set_viewport_size(DESKTOP)

    page.get_by_role("link", name="Issue certificates").click()
    expect(page.get_by_text("There are 2 credit claims.")).to_be_visible()
    check_and_shoot(page, "coordinator-issue")
    page.get_by_role("button", name="Issue certificates on the task queue").click()

    # The run page polls while it runs; on the test server the queue is immediate.
    # The run's own status line (Wagtail's messages area is a status region too).
    expect(page.get_by_role("status").filter(has_text="claims")).to_have_text(
        "Finished. 1 certificate issued from 2 claims; 1 refused.", timeout=30_000
    )
    refused = page.get_by_role("region", name="Learners who got no certificate")
    expect(refused).to_contain_text(
        "Pat Unfinished: The enrolment is not complete, so no certificate can be "
        "issued."
    )
    fix = refused.get_by_role(
        "link", name="See how far Pat Unfinished got in the activity report"
    )
    expect(fix).to_be_visible()
    expect(page.get_by_text(re.compile(r"Started .*\(Asia/Kolkata\)"))).to_be_visible()
    check_and_shoot(page, "coordinator-run")

    # The fix link lands on Pat's row of the report; the PARS file downloads there.
    fix.click()
    expect(page).to_have_url(re.compile(r"#enrolment-"))
    target = page.locator("tr:target")
    expect(target).to_contain_text("Pat Unfinished")
    expect(target).to_contain_text("In progress")
    with page.expect_download() as downloaded:
        page.get_by_role(
            "link", name="Download the board-reporting file (PARS CSV)"
        ).click()
    download = downloaded.value
    assert download.suggested_filename == f"pars-{activity.slug}.csv"
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text())))
    assert [
        (row["board"], row["board_id"], row["last_name"], row["amount"]) for row in rows
    ] == [("ABIM", "246810", "Clinician", "1.00")]


def test_clinician_reads_disclosures_fails_without_the_key_passes_and_claims(
    page, live_server, clinician, cme_activity, settings
):
    from courses.models import ActivityPerson

    clinician.time_zone = "Asia/Kolkata"
    clinician.save()
    paid = factories.person(
        "Dr Paid", relationships=[("Acme Pharma", "Speakers' bureau", True)]
    )
    ActivityPerson.objects.create(activity=cme_activity, person=paid, role="planner")

    page.set_viewport_size(DESKTOP)
    sign_in(page, live_server, "clinician", totp=True)
    expect(page.get_by_role("heading", level=1)).to_have_text("My work")
    expect(page.get_by_role("region", name="Today's visits")).to_be_visible()
    check_and_shoot(page, "clinician-home")

    # Disclosures on the public page, before enrolling.
    page.get_by_role("link", name="Find a CME activity").click()
    page.get_by_role("link", name=cme_activity.title).click()
    disclosures = page.get_by_role("region", name="Faculty and planners: disclosures")
    expect(disclosures).to_contain_text("Dr Faculty, MD")
    expect(disclosures).to_contain_text("No relevant financial relationships.")
    expect(disclosures).to_contain_text("Acme Pharma: Speakers' bureau")
    expect(disclosures).to_contain_text(
        "All relevant financial relationships have been mitigated."
    )
    check_and_shoot(page, "clinician-activity")
    page.get_by_role("button", name="Enrol in this activity").click()
    page.get_by_label("I have read the disclosures").check()
    page.get_by_role("button", name="Acknowledge and continue").click()

    page.get_by_role("link", name="Lecture 1").click()
    expect(page.locator("video")).to_have_js_property("readyState", 4)
    play(page, start=0, rate=16)
    expect(page.get_by_role("status")).to_have_text(
        "This lecture is complete.", timeout=15_000
    )
    page.get_by_role("link", name="Back to the activity").click()

    # The hint is said once; a failed attempt keeps the key hidden.
    page.get_by_role("link", name="Take the post-test").click()
    expect(page.get_by_text("Select all that apply.")).to_have_count(1)
    expect(page.get_by_text("(select all that apply)")).to_have_count(0)
    check_and_shoot(page, "clinician-post-test")
    answer(page, ["120/80 or higher", "Opioids"])
    expect(page.get_by_text("You did not reach the pass mark of 75%.")).to_be_visible()
    expect(page.get_by_text("Your answer was not correct.")).to_have_count(2)
    expect(
        page.get_by_text("The correct answers and their rationales are shown once")
    ).to_be_visible()
    expect(page.get_by_text("— correct answer")).to_have_count(0)
    expect(page.get_by_text("Home readings of 135/85 or more")).to_have_count(0)
    check_and_shoot(page, "clinician-failed-attempt")

    page.get_by_role("link", name="Try the post-test again").click()
    answer(page, ["135/85 or higher", "Thiazide diuretics", "ACE inhibitors"])
    expect(page.get_by_text("You passed.")).to_be_visible()

    page.get_by_role("link", name="Evaluate the activity").click()
    for statement in [
        "The activity met its stated learning objectives.",
        "The content was relevant to my practice.",
        "The faculty presented the content effectively.",
    ]:
        page.get_by_role("group", name=statement).get_by_label("4: agree").check()
    page.get_by_label("What will you change in your practice").fill(
        "Ask for a week of home readings before changing treatment."
    )
    page.get_by_role("button", name="Submit my evaluation").click()

    # The claim is chosen from the allowed steps up to the maximum.
    credit = page.get_by_label("Credit to claim")
    expect(credit.locator("option")).to_have_text(
        [
            "Choose an amount",
            "0.25 AMA PRA Category 1 Credit™",
            "0.5 AMA PRA Category 1 Credit™",
            "0.75 AMA PRA Category 1 Credit™",
            "1.0 AMA PRA Category 1 Credit™",
        ]
    )
    check_and_shoot(page, "clinician-claim")
    credit.select_option(label="0.75 AMA PRA Category 1 Credit™")
    page.get_by_label("I attest that I claim only").check()
    page.get_by_role("button", name="Claim credit").click()
    expect(page.get_by_role("region", name="Credits this year")).to_contain_text("0.75")

    # The certificate, usable on a phone with its download link in view.
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="My certificates"
    ).click()
    expect(page.get_by_role("heading", name="My certificates")).to_be_visible()
    expect(
        page.get_by_role("row", name=re.compile(cme_activity.title))
    ).to_contain_text("0.75")
    check_and_shoot(page, "clinician-certificates")
    page.set_viewport_size(PHONE)
    download = page.get_by_role("link", name=re.compile(r"^PDF certificate "))
    expect(download).to_be_visible()
    box = download.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
