"""Dates in visits' form choices follow the one rule, accounts.local_time."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from tests.visits.factories import booked_visit
from visits.forms import ReferralForm
from visits.models import Visit
from visits.services.visit_flow import start_note

pytestmark = pytest.mark.django_db


def test_a_shared_notes_date_is_on_the_viewers_calendar(patient, clinician, specialist):
    visit = booked_visit(patient, clinician)
    # 22:00 UTC is already the next day in Kolkata (UTC+5:30).
    late_evening = datetime(2026, 12, 4, 22, 0, tzinfo=UTC)
    Visit.objects.filter(pk=visit.pk).update(
        start=late_evening, end=late_evening + (visit.end - visit.start)
    )
    visit.refresh_from_db()
    note = start_note(visit=visit)
    with timezone.override(ZoneInfo("Asia/Kolkata")):
        form = ReferralForm(specialists=[specialist], notes=[note], documents=[])
        [(_uuid, label)] = form.fields["notes"].choices
    assert label == f"{visit.visit_type.name}, Sat 5 Dec 2026"
