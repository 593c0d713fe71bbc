"""Issue 12 item 3: the auditor searches by name, record number, staff member, action
and dates, pages through results and exports exactly what the search shows."""

import csv
import io
from datetime import UTC, datetime

import pytest
import time_machine
from django.test import RequestFactory

from config.navigation import navigation
from tests.conftest import make_person
from visits.audit import record_event
from visits.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def pat(db):
    from accounts.roles import Role

    return make_person("pat", [Role.PATIENT], full_name="Pat Patient")


@pytest.fixture
def events(pat, other_patient, clinician, specialist):
    """Reads of Pat's record on 1, 2 and 3 December (UTC), and one of another."""
    made = {}
    for day, actor, patient, action in [
        (1, clinician, pat, AuditEvent.Action.READ),
        (2, specialist, pat, AuditEvent.Action.WRITE),
        (3, clinician, pat, AuditEvent.Action.DENIED),
        (2, clinician, other_patient, AuditEvent.Action.READ),
    ]:
        with time_machine.travel(datetime(2026, 12, day, 10, 0, tzinfo=UTC)):
            made[(day, patient.username)] = record_event(
                actor=actor,
                action=action,
                what='=HYPERLINK("http://evil")' if day == 3 else "visit",
                patient=patient,
                path=f"/visits/day-{day}/",
            )
    return made


def search(client, **criteria):
    response = client.post("/visits/audit/", criteria)
    assert response.status_code == 302
    assert response.url == "/visits/audit/"
    return client.get(response.url).content.decode()


def test_search_by_full_name_finds_the_patient_and_nobody_else(
    client, auditor, events, pat
):
    client.force_login(auditor)
    html = search(client, patient="Pat Patient")
    assert "/visits/day-1/" in html and "/visits/day-3/" in html
    assert "/visits/day-2/" in html  # Pat's day 2 event
    assert html.count("Pat Patient") >= 3
    assert "Other Patient" not in html
    assert "3 events match." in html


def test_search_by_record_number_and_username(client, auditor, events, pat):
    client.force_login(auditor)
    for term in (str(pat.uuid)[:8], str(pat.uuid).upper()):
        html = search(client, patient=term)
        assert "3 events match." in html, term
    html = search(client, patient="other_patient")
    assert "1 event matches." in html and "Pat Patient" not in html


def test_search_by_staff_member_action_and_date_range(
    client, auditor, events, specialist
):
    client.force_login(auditor)
    html = search(client, actor="Specialist")
    assert "1 event matches." in html and "/visits/day-2/" in html
    html = search(client, action="denied")
    assert "1 event matches." in html and "/visits/day-3/" in html
    html = search(
        client, patient="Pat Patient", date_from="2026-12-02", date_to="2026-12-03"
    )
    assert "2 events match." in html
    assert "/visits/day-1/" not in html


def test_dates_are_days_in_the_auditors_zone(client, events, pat):
    from accounts.roles import Role

    kolkata = make_person(
        "auditor_in", [Role.AUDITOR], totp=True, time_zone="Asia/Kolkata"
    )
    client.force_login(kolkata)
    # 10:00 UTC is 15:30 in Kolkata, the same day.
    html = search(client, patient="Pat", date_from="2026-12-01", date_to="2026-12-01")
    assert "1 event matches." in html
    assert "Tue 1 Dec 2026, 15:30 (Asia/Kolkata)" in html


def test_bad_dates_get_a_message_not_a_500(client, auditor, events):
    client.force_login(auditor)
    response = client.post(
        "/visits/audit/", {"date_from": "2026-12-03", "date_to": "2026-12-01"}
    )
    assert response.status_code == 400
    assert "The end of the range is before its start." in response.content.decode()
    response = client.post("/visits/audit/", {"date_from": "9999-12-31"})
    assert response.status_code == 400
    assert "Please choose a date between" in response.content.decode()


def test_results_are_paged(client, auditor, pat, clinician):
    for _n in range(60):
        record_event(actor=clinician, action="read", what="visit", patient=pat)
    client.force_login(auditor)
    first = search(client, patient="Pat Patient")
    assert "Page 1 of 2" in first and "Showing 1 to 50" in first
    second = client.get("/visits/audit/?page=2").content.decode()
    assert "Showing 51 to 60" in second
    assert "Pat" not in client.get("/visits/audit/?page=2").request["QUERY_STRING"]


def test_export_is_what_the_search_shows_guarded_and_audited(
    client, auditor, events, pat
):
    client.force_login(auditor)
    search(client, patient="Pat Patient", date_from="2026-12-02", date_to="2026-12-03")
    response = client.post("/visits/audit/", {"export": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert "Pat" not in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["path"] for row in rows] == ["/visits/day-3/", "/visits/day-2/"]
    assert {row["patient"] for row in rows} == {"Pat Patient"}
    assert rows[0]["patient_record_number"] == str(pat.uuid)
    assert rows[0]["when"] == "2026-12-03 10:00:00" and rows[0]["time_zone"] == "UTC"
    # The formula in a stored value is neutralised for spreadsheets.
    assert rows[0]["what"] == '\'=HYPERLINK("http://evil")'
    exported = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT)
    assert [(e.actor, e.patient, e.what) for e in exported] == [
        (auditor, pat, "audit_log_export")
    ]


def test_only_auditors_search_or_export(client, clinician, events):
    client.force_login(clinician)
    assert client.get("/visits/audit/").status_code == 404
    assert client.post("/visits/audit/", {"export": "csv"}).status_code == 404


def test_the_auditors_menus_hold_auditor_work_only(client, auditor):
    request = RequestFactory().get("/")
    request.user = auditor
    labels = [str(link["label"]) for link in navigation(request)["main_navigation"]]
    assert "Audit log" in labels and "Emergency access review" in labels
    assert "My visits" not in labels and "My CME" not in labels
    client.force_login(auditor)
    html = client.get("/visits/audit/").content.decode()
    for patient_link in ("Book a visit", "Home readings", "Who viewed my record"):
        assert patient_link not in html
