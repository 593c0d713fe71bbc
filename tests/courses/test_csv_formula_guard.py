"""The coordinator's acknowledgement export goes through the one CSV guard (#12)."""

import csv
import io

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_acknowledgement_export_guards_a_formula_name(
    client, coordinator, enrolment, clinician
):
    clinician.full_name = "=cmd|' /C calc'!A0"
    clinician.preferred_name = ""
    clinician.save()
    client.force_login(coordinator)
    export = client.get(
        reverse("courses_acknowledgements", args=[enrolment.activity.uuid])
    )
    rows = list(csv.reader(io.StringIO(export.content.decode())))
    assert rows[1][0] == "'=cmd|' /C calc'!A0"
