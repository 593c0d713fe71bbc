import pytest
from allauth.mfa.models import Authenticator
from django.core.management import CommandError, call_command

from accounts.demo import PERSONAS
from accounts.models import User

pytestmark = pytest.mark.django_db

EXPECTED_USERNAMES = {
    "admin", "editor", "reviewer", "coordinator", "meetingadmin", "clinician",
    "nurse", "specialist", "patient", "patient2", "auditor",
}  # fmt: skip


def test_seed_demo_creates_every_persona_once(settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    counts = {model: model.objects.count() for model in (User, Authenticator)}
    call_command("seed_demo", verbosity=0)
    assert {model: model.objects.count() for model in (User, Authenticator)} == counts
    assert set(User.objects.values_list("username", flat=True)) == EXPECTED_USERNAMES
    assert {p.username for p in PERSONAS} == EXPECTED_USERNAMES


def test_staff_personas_have_totp_and_patients_do_not(settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    with_totp = set(Authenticator.objects.values_list("user__username", flat=True))
    assert with_totp == EXPECTED_USERNAMES - {"patient", "patient2"}


def test_seed_demo_refuses_with_debug_off_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG off"):
        call_command("seed_demo", verbosity=0)
    assert not User.objects.exists()
    call_command("seed_demo", "--force", verbosity=0)
    assert User.objects.count() == len(EXPECTED_USERNAMES)
