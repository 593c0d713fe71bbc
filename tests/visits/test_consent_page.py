"""The consent page prints the consent once (issue 11)."""

import pytest

from tests.visits.factories import booked_visit
from visits.models import VisitType
from visits.services.visit_flow import current_consent

pytestmark = pytest.mark.django_db


def test_the_general_consent_is_printed_once(client, patient, clinician):
    visit = booked_visit(patient, clinician)
    client.force_login(patient)
    page = client.get(f"/visits/{visit.uuid}/consent/").content.decode()
    assert page.count("I agree to receive care by video.") == 1
    assert "About this kind of visit" not in page


def test_a_visit_types_own_consent_words_follow_the_general_consent(
    client, patient, clinician
):
    visit = booked_visit(patient, clinician)
    VisitType.objects.filter(pk=visit.visit_type_id).update(
        consent_text="Photos of the skin may be stored in your record."
    )
    client.force_login(patient)
    page = client.get(f"/visits/{visit.uuid}/consent/").content.decode()
    assert page.count("I agree to receive care by video.") == 1
    assert "About this kind of visit" in page
    assert "Photos of the skin may be stored in your record." in page
    assert current_consent().version == 1
