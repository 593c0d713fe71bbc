from django.core.management import call_command

from certificates.models import Certificate


def test_demo_shows_valid_superseded_and_revoked_and_runs_twice(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)
    reviewer = Certificate.objects.filter(learner__username="reviewer")
    assert sorted(reviewer.values_list("status", flat=True)) == [
        "superseded",
        "valid",
    ]
    replacement = reviewer.get(status="valid")
    assert replacement.snapshot["learner_name"] == "Rosa M. Reviewer, MD"
    assert replacement.supersedes.snapshot["learner_name"] == "Rosa Reviewer, MD"
    nurse = Certificate.objects.get(learner__username="nurse")
    assert nurse.status == "revoked"
    assert nurse.status_reason == "Attendance could not be confirmed."
    assert Certificate.objects.count() == 3
