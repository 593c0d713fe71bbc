"""The editor's and the reviewer's jobs in a real browser, reached by clicking only.

Each journey starts at the public landing page, signs in through the real pages and
clicks its way into the Wagtail admin; nothing after sign-in uses page.goto.
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from cms.models import ArticlePage
from tests.browser.helpers import serious_violations
from tests.conftest import PASSWORD
from tests.totp import totp_now

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.browser,
]

SHOTS = Path("/tmp/shots-cmses")
BODY_TEXT = (
    "Wash your hands before you touch your eyes. Use clean towels. "
    "Call your care team if your eye is red and sore."
)


def _shoot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _sign_in_from_landing(page, live_server, username: str) -> None:
    """From the landing page: Sign in, password, staff TOTP code."""
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("Username or email").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    from django.conf import settings

    page.get_by_label("Code").fill(totp_now(settings.DEMO_TOTP_SECRET))
    page.locator('main form button[type="submit"]').first.click()
    page.wait_for_load_state()


def _into_the_admin(page) -> None:
    """Staff may land in the admin after sign-in; otherwise the user bar leads there."""
    if "/admin/" not in page.url:
        page.get_by_role("button", name="View Wagtail quick actions").click()
        page.get_by_role("menuitem", name="Go to Wagtail admin").click()
    expect(page.locator("#wagtail-sidebar, [data-side-panel], body.wagtail")).not_to_have_count(0)


def _open_topic_in_explorer(page, topic_title: str) -> None:
    page.get_by_role("button", name="Pages").click()
    drawer = page.locator(".c-page-explorer__drawer")
    page.wait_for_timeout(1500)
    _shoot(page, "debug-drawer")
    print("DRAWER", drawer.inner_html()[:3000])
    drawer.get_by_role("link", name=topic_title).first.click()


def test_editor_creates_an_article_whose_body_survives_the_first_save(
    page, live_server, editor, heart_topic
):
    page.set_default_timeout(10_000)
    _sign_in_from_landing(page, live_server, "editor")
    _into_the_admin(page)
    _open_topic_in_explorer(page, "Heart health")
    _shoot(page, "editor-explorer")


@pytest.fixture
def heart_topic(db):
    from tests.cms.factories import make_topic

    return make_topic(title="Heart health", slug="heart-health", featured=True)
