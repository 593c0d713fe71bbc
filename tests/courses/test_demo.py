import pytest
from django.core.management import call_command

from courses.models import ActivityPage, CreditClaim, Enrolment, LectureProgress

pytestmark = pytest.mark.django_db


def test_demo_builds_three_activities_and_two_learner_stories_once(settings, tmp_path):
    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", verbosity=0)
    counts = [
        model.objects.count()
        for model in (ActivityPage, Enrolment, CreditClaim, LectureProgress)
    ]
    call_command("seed_demo", verbosity=0)
    assert [
        model.objects.count()
        for model in (ActivityPage, Enrolment, CreditClaim, LectureProgress)
    ] == counts
    assert counts[0] == 3
    assert ActivityPage.objects.filter(activity_format="rss").exists()
    claimed = CreditClaim.objects.get(enrolment__learner__username="reviewer")
    assert claimed.enrolment.status == Enrolment.Status.COMPLETE
    part_way = Enrolment.objects.get(learner__username="clinician")
    assert part_way.status == Enrolment.Status.ENROLLED
    assert part_way.progress.filter(completed_at__isnull=False).count() == 1
    assert part_way.progress.filter(completed_at__isnull=True).count() == 1


def test_export_pars_on_the_demo_activity(settings, tmp_path, capsys):
    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", verbosity=0)
    capsys.readouterr()
    call_command("export_pars", "hypertension-telehealth")
    out, err = capsys.readouterr()
    assert out.splitlines()[1].startswith("ABIM,123456,Rosa,Reviewer,9,3,")
    assert "Noah Nurse, RN" in err
    assert "no consent to board reporting" in err
