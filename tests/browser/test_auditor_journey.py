"""The auditor (in Asia/Kolkata) searches "Pat Patient" in a date range from the
landing page by clicking only, reads times in their zone and exports the CSV."""

import csv
import io
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from playwright.sync_api import expect

from accounts.roles import Role
from tests.browser.helpers import sign_in
from tests.browser.screens import check_page
from tests.conftest import make_person
from visits.audit import record_event
from visits.models import AuditEvent

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

KOLKATA = ZoneInfo("Asia/Kolkata")


@pytest.fixture(autouse=True)
def fresh_cache(page):
    cache.clear()
    yield
    page.goto("about:blank")
    cache.clear()


def at(day, hour, minute=0) -> datetime:
    return datetime.combine(day, datetime.min.time(), UTC).replace(
        hour=hour, minute=minute
    )


def test_auditor_searches_a_patient_by_name_in_a_date_range_and_exports(
    page, live_server
):
    auditor = make_person(
        "auditor", [Role.AUDITOR], totp=True, time_zone="Asia/Kolkata"
    )
    pat = make_person("pat", [Role.PATIENT], full_name="Pat Patient")
    priya = make_person("priya", [Role.PATIENT], full_name="Priya Patient")
    clinician = make_person(
        "clinician", [Role.CLINICIAN], totp=True, full_name="Dana Clinician, MD"
    )
    today = datetime.now(KOLKATA).date()
    ten_days_ago, three_days_ago = today - timedelta(days=10), today - timedelta(3)
    # 20:00 UTC is 01:30 the next day in Kolkata: the range is in the auditor's days.
    for moment, patient, path in [
        (at(ten_days_ago, 9), pat, "/visits/old/"),
        (at(three_days_ago - timedelta(days=1), 20), pat, "/visits/late-evening/"),
        (at(three_days_ago, 9), priya, "/visits/priya/"),
        (at(today - timedelta(days=1), 6), pat, "/visits/yesterday/"),
    ]:
        with time_machine.travel(moment, tick=False):
            record_event(
                actor=clinician,
                action=AuditEvent.Action.READ,
                what="visit",
                patient=patient,
                path=path,
            )
    page.set_viewport_size({"width": 1280, "height": 900})

    sign_in(page, live_server, "auditor", totp=True)
    main_menu = page.get_by_role("navigation", name="Main")
    expect(main_menu.get_by_role("link", name="Audit log")).to_be_visible()
    expect(main_menu).not_to_contain_text("My visits")
    check_page(page, "auditor-landing")
    main_menu.get_by_role("link", name="Audit log").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit log")
    visits_menu = page.get_by_role("navigation", name="Visits")
    for patient_link in ("Book a visit", "Home readings", "Who viewed my record"):
        expect(visits_menu).not_to_contain_text(patient_link)

    page.get_by_label("Patient").fill("Pat Patient")
    page.get_by_label("From").fill(three_days_ago.isoformat())
    page.get_by_label("To (included)").fill(today.isoformat())
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("2 events match.")).to_be_visible()
    assert "Pat" not in page.url and "patient" not in page.url
    table = page.get_by_role("table", name="Audit events")
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(2)
    late = at(three_days_ago - timedelta(days=1), 20).astimezone(KOLKATA)
    expect(rows.nth(1)).to_contain_text(
        f"{late:%a} {late.day} {late:%b %Y}, 01:30 (Asia/Kolkata)"
    )
    expect(rows.nth(1)).to_contain_text("Pat Patient")
    expect(table).not_to_contain_text("Priya")
    expect(table).not_to_contain_text("/visits/old/")
    check_page(page, "auditor-search")

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Export these 2 events as CSV").click()
    download = download_info.value
    assert download.suggested_filename.startswith("audit-log-")
    assert "pat" not in download.suggested_filename.lower()
    text = open(download.path(), encoding="utf-8").read()  # noqa: PTH123
    exported = list(csv.DictReader(io.StringIO(text)))
    assert [row["path"] for row in exported] == [
        "/visits/yesterday/",
        "/visits/late-evening/",
    ]
    assert {row["patient"] for row in exported} == {"Pat Patient"}
    assert {row["who"] for row in exported} == {"Dana Clinician, MD"}
    assert exported[1]["when"].endswith("01:30:00")
    assert exported[1]["time_zone"] == "Asia/Kolkata"
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.EXPORT, actor=auditor, patient=pat
    ).exists()

    # The emergency-access review is one click away too.
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Emergency access review"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    check_page(page, "auditor-break-glass")
