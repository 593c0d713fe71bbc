"""The clinician's CME path in Chromium, from enrolment to credit on the dashboard."""

import re
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect
from wagtail.documents.models import Document

from courses.demo import silent_wav
from courses.models import CreditClaim
from tests.browser.helpers import serious_violations, sign_in
from tests.courses import factories

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LECTURE_SECONDS = 30


@pytest.fixture
def cme_activity(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    # Accelerated test speed: the server believes playback up to 16x.
    settings.COURSES_MAX_PLAYBACK_RATE = 16
    settings.COURSES_PROGRESS_REPORT_SECONDS = 1
    video = Document(title="Lecture recording")
    video.file.save("lecture.wav", ContentFile(silent_wav(LECTURE_SECONDS)), save=False)
    video.save()
    page = factories.activity(lectures=1, lecture_seconds=LECTURE_SECONDS)
    lecture = factories.lectures_of(page)[0]
    lecture.video = video
    lecture.save_revision().publish()
    return page


def assert_accessible(page):
    assert serious_violations(page) == []


def play(page, *, start: float, rate: float) -> None:
    page.locator("video").evaluate(
        """(video, [start, rate]) => {
            video.muted = true;
            video.currentTime = start;
            video.playbackRate = rate;
            return video.play();
        }""",
        [start, rate],
    )


def answer(page, labels: list[str]) -> None:
    for label in labels:
        page.get_by_label(label, exact=True).check()
    page.get_by_role("button", name="Submit my answers").click()


def test_clinician_earns_credit_from_evidence(
    page, live_server, clinician, cme_activity
):
    sign_in(page, live_server, "clinician", totp=True)
    page.goto(live_server.url + cme_activity.url)
    page.get_by_role("button", name="Enrol in this activity").click()

    # The disclosure gate comes before any lecture content.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Before you start")
    expect(page.get_by_text("No relevant financial relationships.")).to_be_visible()
    expect(page.get_by_text("Pass mark 75%")).to_be_visible()
    expect(page.get_by_text("designates this enduring material")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("I have read the disclosures").check()
    page.get_by_role("button", name="Acknowledge and continue").click()

    # Skipping to the end of the video leaves progress low and the test locked.
    page.get_by_role("link", name="Lecture 1").click()
    expect(page.locator("video")).to_have_js_property("readyState", 4)
    assert_accessible(page)
    play(page, start=LECTURE_SECONDS - 1, rate=1)
    expect(page.locator("video")).to_have_js_property("ended", True)
    page.wait_for_timeout(1500)
    low = int(page.locator("#lecture-progress").get_attribute("value") or 0)
    page.reload()
    value = int(page.locator("#lecture-progress").get_attribute("value"))
    assert value <= 10, (low, value)
    page.get_by_role("link", name="Back to the activity").click()
    expect(
        page.get_by_text("The post-test unlocks when you have completed")
    ).to_be_visible()

    # Watching at accelerated test speed completes the lecture.
    page.get_by_role("link", name="Lecture 1").click()
    expect(page.locator("video")).to_have_js_property("readyState", 4)
    play(page, start=0, rate=16)
    expect(page.get_by_role("status")).to_have_text(
        "This lecture is complete.", timeout=15_000
    )
    page.get_by_role("link", name="Back to the activity").click()

    # Fail once and read the rationales, then pass.
    page.get_by_role("link", name="Take the post-test").click()
    expect(page.get_by_text("You need 75% to pass.")).to_be_visible()
    assert_accessible(page)
    answer(page, ["120/80 or higher", "Opioids"])
    expect(page.get_by_text("You did not reach the pass mark of 75%.")).to_be_visible()
    # The key stays hidden until the learner passes (the activity's default).
    expect(
        page.get_by_text("Home readings of 135/85 or more confirm the diagnosis.")
    ).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("link", name="Try the post-test again").click()
    answer(page, ["135/85 or higher", "Thiazide diuretics", "ACE inhibitors"])
    expect(page.get_by_text("You passed.")).to_be_visible()

    # Evaluate.
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
    assert_accessible(page)
    page.get_by_role("button", name="Submit my evaluation").click()

    # Claim: the amount is chosen from the allowed steps; attesting is required.
    expect(page.get_by_role("heading", name="Claim credit")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Credit to claim").select_option(
        label="0.75 AMA PRA Category 1 Credit™"
    )
    page.get_by_role("button", name="Claim credit").click()
    expect(page.get_by_role("alert")).to_contain_text("Confirm that the amount")
    page.get_by_label("I attest that I claim only").check()
    page.get_by_role("button", name="Claim credit").click()

    expect(page).to_have_url(re.compile(r"/courses/dashboard/$"))
    credits = page.get_by_role("region", name="Credits this year")
    expect(credits).to_contain_text("0.75")
    expect(credits).to_contain_text("AMA PRA Category 1 Credit")
    assert_accessible(page)
    assert CreditClaim.objects.get().amount == Decimal("0.75")


def test_catalogue_and_activity_pages_fit_a_phone_and_pass_axe(
    page, live_server, cme_activity
):
    page.set_viewport_size({"width": 360, "height": 740})
    for path in ["/courses/", cme_activity.url]:
        page.goto(live_server.url + path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        overflow = page.evaluate(
            "document.documentElement.scrollWidth > window.innerWidth"
        )
        assert overflow is False, path
        assert_accessible(page)
