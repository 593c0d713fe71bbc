"""The editor's and the reviewer's jobs in a real browser, reached by clicking only.

Each journey starts at the public landing page, signs in through the real pages and
clicks its way through the Wagtail admin; nothing after sign-in uses page.goto.
"""

from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from cms.models import ArticlePage
from tests.browser.helpers import serious_violations
from tests.cms.factories import make_topic
from tests.conftest import PASSWORD
from tests.totp import totp_now

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.browser,
]

SHOTS = Path("/tmp/shots-cmses")  # noqa: S108 - screenshots for people to look at
TITLE = "Looking after your eyes"
BODY_TEXT = "Wash your hands before you touch your eyes. Use a clean towel."


def _shoot(page, name: str) -> None:
    """The same screen at desktop and phone width (then back to desktop)."""
    SHOTS.mkdir(exist_ok=True)
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def _fits_a_phone(page) -> bool:
    page.set_viewport_size({"width": 390, "height": 844})
    fits = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.set_viewport_size({"width": 1280, "height": 900})
    return fits


def _sign_in_from_landing(page, live_server, username: str) -> None:
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("Username or email").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.get_by_label("Code").fill(totp_now(settings.DEMO_TOTP_SECRET))
    page.locator('main form button[type="submit"]').first.click()
    page.wait_for_load_state()


def _into_the_admin(page) -> None:
    """Editors and reviewers land in the Wagtail admin after sign-in."""
    assert "/admin/" in page.url, page.url
    expect(page.get_by_role("button", name="Pages")).to_be_visible()


def _sign_out(page) -> None:
    page.context.clear_cookies()


@pytest.fixture
def topics(db):
    # Two topics, so the editor's page explorer starts at the English home page.
    return [
        make_topic(title="Heart health", slug="heart-health", featured=True),
        make_topic(title="Eye care", slug="eye-care", featured=True),
    ]


def test_editor_writes_an_article_and_the_reviewer_approves_and_publishes_it(
    page, live_server, editor, reviewer, topics
):
    page.set_default_timeout(15_000)
    create_posts = []
    page.on(
        "request",
        lambda request: (
            create_posts.append(request.url)
            if request.method == "POST" and "/admin/pages/add/" in request.url
            else None
        ),
    )

    # The editor: landing page -> admin -> Eye care -> new article.
    _sign_in_from_landing(page, live_server, "editor")
    _into_the_admin(page)
    page.get_by_role("button", name="Pages").click()
    explorer = page.get_by_role("dialog", name="Page explorer")
    explorer.locator(".c-page-explorer__item").first.wait_for()
    # The explorer opens at the editor's own part of the tree: the English home
    # page's topics, or (with Spanish topics to edit as well) both home pages.
    homes = explorer.get_by_role("link", name="View child pages of 'TeleCampus'")
    if homes.count():
        homes.first.click()
    explorer.get_by_role("link", name="Eye care").first.click()
    page.get_by_role("link", name="Add child page").first.click()
    page.get_by_placeholder("Page title*").fill(TITLE)
    page.get_by_role("textbox", name="Summary*").fill(
        "Simple habits keep your eyes clean and healthy."
    )
    page.get_by_role("button", name="Insert a block").first.click()
    page.get_by_role("option", name="Text").first.click()
    editor = page.locator(".Draftail-Editor [contenteditable=true]").first
    expect(editor).to_be_visible()
    # Closing the block picker hands the focus back to its button a moment later;
    # on a loaded machine that can come after our click, so the text would go
    # nowhere. Click until the editor keeps the focus, then type into it.
    for _attempt in range(10):
        editor.click()
        page.wait_for_timeout(300)
        if editor.evaluate("element => element === document.activeElement"):
            break
    expect(editor).to_be_focused()
    editor.press_sequentially(BODY_TEXT)
    # The text must be in the editor (a click that landed before the new block
    # was ready typed nowhere), then a person's pause while Draftail copies it
    # into the form.
    expect(editor).to_contain_text(BODY_TEXT)
    page.wait_for_timeout(700)
    _shoot(page, "editor-new-article")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text(f"Page '{TITLE}' created.")).to_be_visible()

    # The body survived the first save, and the create form was posted once.
    assert len(create_posts) == 1
    article = ArticlePage.objects.get(title=TITLE)
    assert BODY_TEXT in article.get_latest_revision_as_object().plain_text()
    assert serious_violations(page) == []

    page.get_by_role("button", name="More actions").click()
    expect(page.locator("button[name='action-publish']")).to_have_count(0)
    page.get_by_role("button", name="Submit to Clinical review").click()
    expect(page.get_by_text("has been submitted for moderation")).to_be_visible()
    article.refresh_from_db()
    assert not article.live
    _shoot(page, "editor-submitted")
    _sign_out(page)

    # The reviewer: landing page -> admin -> the article awaiting review -> approve.
    _sign_in_from_landing(page, live_server, "reviewer")
    _into_the_admin(page)
    _shoot(page, "reviewer-dashboard")
    assert _fits_a_phone(page)
    page.get_by_role("link", name=TITLE).first.click()
    page.get_by_role("button", name="More actions").click()
    # No plain "Publish" that would skip the clinical review.
    expect(page.locator("button[name='action-publish']")).to_have_count(0)
    page.get_by_role("button", name="Approve and Publish").click()
    expect(page.get_by_role("status").first).to_contain_text(
        f"“{TITLE}” has been approved and published."
    )
    expect(page.get_by_text("has been updated")).to_have_count(0)
    _shoot(page, "reviewer-approved")
    article.refresh_from_db()
    assert article.live
    assert BODY_TEXT in article.plain_text()
