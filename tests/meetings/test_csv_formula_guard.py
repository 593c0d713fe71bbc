"""Every CSV export neutralises cells a spreadsheet would run as formulas (#12)."""

import csv
import io
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from tests.meetings.test_attendance import START, joined, left, post

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "hostile",
    [
        "=1+1",
        "+1",
        "-1",
        "@SUM(A1)",
        "\t=HYPERLINK(0)",
        "\r=HYPERLINK(0)",
        "\n=1",
        " =1",
        "\uff1d1",
    ],
)
def test_spreadsheet_safe_prefixes_every_trigger(hostile):
    from accounts.csv_export import spreadsheet_safe

    assert spreadsheet_safe(hostile) == "'" + hostile


def test_spreadsheet_safe_leaves_ordinary_values_alone():
    from accounts.csv_export import spreadsheet_safe

    assert spreadsheet_safe("Dana Clinician, MD") == "Dana Clinician, MD"
    assert spreadsheet_safe("") == ""
    assert spreadsheet_safe(-5) == -5


@pytest.mark.parametrize("lead", ["\t", "\r"])
def test_attendance_csv_guards_a_name_with_a_leading_tab_or_return(
    client, make_meeting, meeting_admin, clinician, lead
):
    clinician.preferred_name = lead + '=HYPERLINK("http://evil.example","x")'
    clinician.save()
    with time_machine.travel(START - timedelta(days=1), tick=False):
        meeting = make_meeting(invitees=[clinician])
    with time_machine.travel(START + timedelta(hours=3), tick=False):
        post(client, joined(meeting, clinician, 0))
        post(client, left(meeting, clinician, 45))
        occurrence = meeting.occurrences.get()
        client.force_login(meeting_admin)
        url = reverse("meetings:attendance", args=[meeting.uuid, occurrence.uuid])
        body = client.get(url + "?format=csv").content.decode()
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[1][0] == "'" + clinician.preferred_name
