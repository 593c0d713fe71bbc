"""The meeting administrator (in Asia/Kolkata, half an hour off the hour) schedules a
weekly series from the landing page by clicking only: zone picker, people picker,
an outside guest; copies the guest link; cancels one date after confirming."""

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from accounts.roles import Role
from meetings.models import InvitationEmail, Meeting
from meetings.services import guest_link
from tests.browser.helpers import sign_in
from tests.browser.screens import check_page
from tests.conftest import make_person

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

KOLKATA = ZoneInfo("Asia/Kolkata")
LONDON = ZoneInfo("Europe/London")


@pytest.fixture(autouse=True)
def fresh_cache(page):
    cache.clear()
    yield
    page.goto("about:blank")
    cache.clear()


def test_meeting_administrator_schedules_copies_the_guest_link_and_cancels_a_date(
    page, live_server
):
    make_person(
        "meetingadmin",
        [Role.MEETING_ADMINISTRATOR],
        totp=True,
        full_name="Mina Admin",
        time_zone="Asia/Kolkata",
    )
    make_person(
        "specialist",
        [Role.SPECIALIST, Role.CLINICIAN],
        totp=True,
        full_name="Sam Specialist",
        time_zone="Europe/London",
    )
    make_person("pat", [Role.PATIENT], full_name="Pat Patient")
    make_person("reviewer", [Role.CLINICAL_REVIEWER], full_name="Rita Reviewer")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.set_viewport_size({"width": 1280, "height": 900})
    # Next week's Tuesday, 15:30 in Kolkata (10:00 UTC; 10:00 or 11:00 in London).
    today = datetime.now(KOLKATA).date()
    first_day = today + timedelta(days=7 + (1 - today.weekday()) % 7)
    first_start = datetime.combine(
        first_day, datetime.min.time().replace(hour=15, minute=30), KOLKATA
    )

    sign_in(page, live_server, "meetingadmin", totp=True)
    check_page(page, "meetingadmin-landing")
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="My meetings"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My meetings")
    page.locator("#main").get_by_role("link", name="Schedule a meeting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Schedule a meeting")

    page.get_by_label("Kind of meeting").select_option(label="Administrative meeting")
    page.get_by_label(re.compile(r"^Title")).fill("Weekly bed management")
    page.get_by_role("textbox", name="Date", exact=True).fill(first_day.isoformat())
    page.get_by_label(re.compile(r"^Start time")).fill("15:30")
    page.get_by_label(re.compile(r"^End time")).fill("16:15")

    # The zone picker: my own zone is offered first; typing narrows the list.
    zone = page.get_by_label(re.compile(r"^Time zone"))
    expect(zone.locator("option").first).to_have_text("Asia/Kolkata (UTC+05:30)")
    expect(zone).to_have_value("Asia/Kolkata")
    zone_filter = page.get_by_label("Search time zones (a city or region)")
    zone_filter.fill("new york")
    expect(page.locator("#id_time_zone_filter_status")).to_have_text("1 match")
    expect(zone.locator("option:not([hidden])")).to_have_count(2)  # + the selected one
    zone_filter.fill("kolkata")
    zone_filter.press("Enter")
    expect(zone).to_have_value("Asia/Kolkata")

    page.get_by_label("Repeats").select_option(label="Every week")
    page.get_by_label("Number of meetings in the series").fill("4")

    # The people picker: staff only, narrowed by typing a name.
    invitees = page.get_by_role("group", name="Invite people")
    expect(invitees).not_to_contain_text("Pat Patient")
    page.get_by_label("Search people to invite, by name").fill("sam")
    expect(invitees).not_to_contain_text("Mina Admin")  # the organiser is in already
    expect(invitees.get_by_label("Pat Patient (pat)")).to_have_count(0)
    expect(invitees.get_by_label("Rita Reviewer (reviewer)")).to_be_hidden()
    expect(page.locator("#id_invitees_filter_status")).to_have_text("1 match")
    invitees.get_by_label("Sam Specialist (specialist)").check()
    groups = page.get_by_role("group", name="Invite everyone in a role")
    expect(groups.get_by_label("Clinical reviewer")).to_be_visible()
    expect(groups).not_to_contain_text("clinical_reviewer")
    page.get_by_label("Outside guests").fill("physio@outside.example")
    check_page(page, "meetingadmin-schedule")
    page.get_by_role("button", name="Schedule meeting").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Weekly bed management")
    expect(page.get_by_role("alert").or_(page.locator(".messages"))).to_contain_text(
        "The meeting was scheduled"
    )
    meeting = Meeting.objects.get()
    assert meeting.time_zone == "Asia/Kolkata"
    assert meeting.start == first_start.astimezone(UTC)
    dates = page.locator("table.data tbody tr")
    expect(dates).to_have_count(4)
    expect(
        page.get_by_text("Times are shown in your time zone, Asia/Kolkata.")
    ).to_be_visible()
    expect(dates.first).to_contain_text(
        first_start.strftime("%a %-d %b %Y") + ", 15:30–16:15"
    )

    # Copy the guest link: the clipboard holds the signed link itself.
    link = page.get_by_label("Guest link for physio@outside.example").input_value()
    assert "/meetings/guest/" in link
    assert (
        link.split("/meetings/guest/")[0]
        == guest_link(meeting.guests.get()).split("/meetings/guest/")[0]
    )
    page.get_by_role("button", name="Copy the link for physio@outside.example").click()
    expect(page.locator("#guest-link-1_copy_status")).to_have_text(
        "The guest link was copied."
    )
    assert page.evaluate("navigator.clipboard.readText()") == link
    check_page(page, "meetingadmin-detail")

    # Moving a date asks in the meeting's zone; come back without changing it.
    dates.nth(2).get_by_role("link", name="Move").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Move a meeting")
    check_page(page, "meetingadmin-move")
    page.get_by_role("link", name="Back to the meeting").click()

    # Cancel the second date, after a confirmation that names it in my zone.
    second = first_start + timedelta(days=7)
    second_text = second.strftime("%a %-d %b %Y") + ", 15:30 (Asia/Kolkata)"
    page.get_by_role("link", name=f"Cancel the meeting on {second_text}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cancel this date?")
    expect(page.locator(".confirm-box")).to_contain_text(
        f"“Weekly bed management” on {second_text} will be cancelled."
    )
    expect(page.locator(".confirm-box")).to_contain_text(
        "2 people will be told by email."
    )
    check_page(page, "meetingadmin-confirm-cancel")
    page.get_by_role("button", name="Yes, cancel this date").click()
    expect(
        page.get_by_text(f"The meeting on {second_text} was cancelled")
    ).to_be_visible()
    expect(dates.nth(1)).to_contain_text("Cancelled")
    expect(dates.nth(0)).to_contain_text("Scheduled")
    cancels = InvitationEmail.objects.filter(method="CANCEL")
    assert {row.recipient_email for row in cancels} == {
        "specialist@example.org",
        "physio@outside.example",
    }

    # My meetings lists every remaining sitting, in my zone, with the feed address.
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="My meetings"
    ).click()
    upcoming = page.get_by_role("region", name="Upcoming meetings")
    expect(
        upcoming.get_by_role("link", name="Weekly bed management", exact=True)
    ).to_have_count(3)
    expect(upcoming).to_contain_text("15:30–16:15 (Asia/Kolkata)")
    expect(page.get_by_label("Your calendar address")).to_have_value(
        re.compile(r"/meetings/calendar/[\w-]+\.ics$")
    )
    check_page(page, "meetingadmin-my-meetings")
    page.get_by_role("link", name="Replace the calendar address").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Calendar subscription")
    check_page(page, "meetingadmin-calendar")

    # The invitee sees the series in their own zone (London).
    page.context.clear_cookies()
    sign_in(page, live_server, "specialist", totp=True)
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="My meetings"
    ).click()
    upcoming = page.get_by_role("region", name="Upcoming meetings")
    in_london = first_start.astimezone(LONDON)
    expect(upcoming).to_contain_text(f"{in_london:%H:%M}–")
    expect(upcoming).to_contain_text("(Europe/London)")
    expect(
        upcoming.get_by_role("link", name="Weekly bed management", exact=True)
    ).to_have_count(3)
