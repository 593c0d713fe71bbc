"""meetingadmin schedules a series; an invitee sees it in their zone and joins."""

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import jwt
import pytest
from django.core.cache import cache
from django.test import override_settings
from playwright.sync_api import expect

from meetings.models import Meeting
from tests.browser.helpers import serious_violations, sign_in
from tests.meetings.conftest import APP_ID, APP_SECRET

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

NEW_YORK = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")


@pytest.fixture(autouse=True)
def fresh_cache(page):
    # allauth remembers used TOTP codes in the cache by user id, and ids repeat
    # between tests: no sign-in here may block another test's code, or the reverse.
    cache.clear()
    yield
    # Leave the live server idle before the database is flushed: a late request
    # would cache Wagtail's site root paths of an empty database for the next test.
    page.goto("about:blank")
    cache.clear()


def token_on(page) -> dict:
    token = page.locator("#jitsi-embed").get_attribute("data-jwt")
    return jwt.decode(token, APP_SECRET, algorithms=["HS256"], audience="jitsi")


@override_settings(
    JITSI_DOMAIN="meet.example.org", JITSI_APP_ID=APP_ID, JITSI_APP_SECRET=APP_SECRET
)
def test_schedule_find_and_join_a_recurring_meeting(
    page, live_server, meeting_admin, specialist
):  # Jitsi itself is outside the test: its script is refused, the page still works.
    page.route(
        re.compile(r"https://meet\.example\.org/.*"), lambda route: route.abort()
    )
    start = (datetime.now(UTC) + timedelta(minutes=5)).astimezone(NEW_YORK)
    end = start + timedelta(minutes=45)

    sign_in(page, live_server, "meetingadmin", totp=True)
    page.goto(f"{live_server.url}/meetings/new/")
    assert serious_violations(page) == []
    page.get_by_label("Kind of meeting").select_option("administrative")
    page.get_by_label("Title").fill("Weekly bed management")
    page.locator("#id_date").fill(start.strftime("%Y-%m-%d"))
    page.get_by_label("Start time").fill(start.strftime("%H:%M"))
    page.get_by_label("End date").fill(end.strftime("%Y-%m-%d"))
    page.get_by_label("End time").fill(end.strftime("%H:%M"))
    page.get_by_role("combobox", name="Time zone").select_option("America/New_York")
    page.get_by_label("Repeats").select_option("weekly")
    page.get_by_label("Number of meetings in the series").fill("4")
    page.get_by_role("group", name="Invite people").get_by_label(
        "Specialist (specialist)"
    ).check()
    page.get_by_role("button", name="Schedule meeting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Weekly bed management")
    assert serious_violations(page) == []

    meeting = Meeting.objects.get()
    assert meeting.occurrences.count() == 4
    page.get_by_role("link", name="Join the meeting").click()
    expect(page.locator("#jitsi-embed")).to_have_attribute("data-moderator", "true")
    claims = token_on(page)
    assert claims["context"]["user"]["moderator"] is True
    assert claims["room"] == meeting.room_slug

    page.context.clear_cookies()
    sign_in(page, live_server, "specialist", totp=True)
    page.goto(f"{live_server.url}/meetings/")
    listed = page.get_by_role("region", name="Upcoming meetings")
    in_london = start.astimezone(LONDON)
    expect(
        listed.get_by_role("link", name="Weekly bed management").first
    ).to_be_visible()
    expect(listed).to_contain_text(in_london.strftime("%H:%M"))
    assert serious_violations(page) == []
    listed.get_by_role("link", name="Join “Weekly bed management”").first.click()
    expect(page).to_have_url(re.compile(rf"/meetings/{meeting.uuid}/join/$"))
    claims = token_on(page)
    assert claims["context"]["user"]["moderator"] is False
    assert claims["context"]["user"]["email"] == specialist.email
