"""Patient education in a real browser: accessibility, CSP, the review workflow."""

import datetime

import pytest
from playwright.sync_api import expect

from cms.models import ArticlePage
from tests.browser.helpers import serious_violations, sign_in
from tests.cms.factories import make_alert, make_article, make_topic

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def library(reviewer):
    topic = make_topic(title="Heart health", slug="heart-health", featured=True)
    article = make_article(
        topic=topic,
        title="Measuring your blood pressure at home",
        slug="blood-pressure",
        reviewed_by=reviewer,
        reviewer_credentials="MD",
        last_reviewed=datetime.date(2026, 3, 2),
        body=[
            ("paragraph", "<p>Sit still for five minutes before you measure.</p>"),
            (
                "callout",
                {
                    "severity": "emergency",
                    "heading": "Call 911",
                    "text": "<p>Call 911 if you have chest pain.</p>",
                },
            ),
            (
                "faq",
                [{"question": "Can I use a wrist cuff?", "answer": "<p>Ask us.</p>"}],
            ),
            (
                "table",
                {
                    "data": [["Top", "Bottom"], ["120", "80"]],
                    "first_row_is_table_header": True,
                    "first_col_is_header": False,
                    "table_caption": "Blood pressure numbers",
                },
            ),
        ],
    )
    alert = make_alert(title="Measles exposure at North clinic")
    return {"topic": topic, "article": article, "alert": alert}


def _pages(library) -> dict[str, str]:
    return {
        "home": "/",
        "topic": library["topic"].url,
        "article": library["article"].url,
        "search": "/search/?q=blood+pressure",
        "alerts": "/alerts/",
        "alert": library["alert"].get_absolute_url(),
        "spanish home": "/es/",
    }


def test_public_pages_have_no_serious_accessibility_violations_or_csp_errors(
    page, live_server, library
):
    console_errors, broken = [], []
    page.on(
        "console",
        lambda message: (
            console_errors.append(message.text)
            if message.type == "error" and "Failed to load resource" not in message.text
            else None
        ),
    )
    # Browsers ask for /favicon.ico on their own; everything else must load.
    page.on(
        "response",
        lambda response: (
            broken.append(response.url)
            if response.status >= 400 and not response.url.endswith("/favicon.ico")
            else None
        ),
    )
    for name, path in _pages(library).items():
        page.goto(live_server.url + path)
        expect(page.get_by_role("main")).to_be_visible()
        assert serious_violations(page) == [], name
    # No CSP violation (the JSON-LD block is data, not script) and nothing broken.
    assert console_errors == []
    assert broken == []


def test_article_fits_a_phone_and_shows_the_alert_banner(page, live_server, library):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server.url + library["article"].url)
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert overflow is False
    banner = page.get_by_role("region", name="Public-health alerts")
    expect(banner).to_contain_text("Measles exposure at North clinic")
    expect(page.get_by_text("Medically reviewed by")).to_contain_text("MD")


def test_search_by_keyboard(page, live_server, library):
    page.goto(live_server.url + "/")
    page.get_by_label("Search health information").fill("blood pressure")
    page.keyboard.press("Enter")
    expect(
        page.get_by_role("link", name="Measuring your blood pressure at home")
    ).to_be_visible()


def test_editor_submits_and_reviewer_approval_publishes(
    page, live_server, editor, reviewer
):
    topic = make_topic(title="Eye care", slug="eye-care")
    draft = make_article(topic=topic, title="Keeping your eyes healthy", live=False)
    edit_url = f"{live_server.url}/admin/pages/{draft.pk}/edit/"

    sign_in(page, live_server, "editor", totp=True)
    page.goto(edit_url)
    page.locator("[data-w-dropdown-target='toggle']").last.click()
    expect(page.locator("button[name='action-publish']")).to_have_count(0)
    page.locator("button[name='action-submit']").click()
    expect(page.get_by_text("submitted for moderation")).to_be_visible()
    assert not ArticlePage.objects.get(pk=draft.pk).live

    page.context.clear_cookies()
    sign_in(page, live_server, "reviewer", totp=True)
    page.goto(edit_url)
    page.locator("[data-w-dropdown-target='toggle']").last.click()
    with page.expect_navigation():
        page.get_by_role("button", name="Approve and Publish", exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text("approved and published")
    assert ArticlePage.objects.get(pk=draft.pk).live
