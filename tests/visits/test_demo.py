import pytest

from visits import demo
from visits.models import Alert, ClinicalNote, Reading, Referral, Visit

pytestmark = pytest.mark.django_db


def _counts():
    return [m.objects.count() for m in (Visit, ClinicalNote, Reading, Alert, Referral)]


def test_demo_seeds_the_issue_story_once(demo_world):
    patient, patient2 = demo_world["patient"], demo_world["patient2"]
    mine = Visit.objects.filter(patient=patient)
    assert mine.filter(status=Visit.Status.BOOKED).count() == 1
    past = mine.get(status=Visit.Status.COMPLETED)
    assert past.note.is_signed
    assert Reading.objects.filter(patient=patient).count() > 10
    assert Alert.objects.filter(patient=patient).count() == 1
    assert (
        Visit.objects.filter(patient=patient2, status=Visit.Status.BOOKED).count() == 1
    )
    referral = Referral.objects.get()
    assert referral.referring_clinician == demo_world["clinician"]
    assert referral.specialist == demo_world["specialist"]
    assert list(referral.shared_notes.all()) == [past.note]
    before = _counts()
    demo.seed()
    assert _counts() == before
