"""Directory groups become roles through one table, at each sign-on and SCIM change."""

import pytest

from accounts.models import DirectoryGroupRole
from accounts.roles import Role
from accounts.services import apply_directory_groups, create_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def mapping():
    DirectoryGroupRole.objects.create(group="TC-Clinicians", role=Role.CLINICIAN)
    DirectoryGroupRole.objects.create(group="tc-cme", role=Role.CME_COORDINATOR)
    DirectoryGroupRole.objects.create(
        group="3f1c0d2e-0000-4a5b-9c8d-0123456789ab", role=Role.AUDITOR
    )


def _person(roles=()):
    return create_user(
        username="dir", email="dir@hospital.example", password=None,
        full_name="Dee Rectory", roles=list(roles),
    )  # fmt: skip


def test_groups_grant_their_roles_whatever_the_letter_case(mapping):
    person = _person()

    added, removed = apply_directory_groups(
        user=person,
        group_names=[
            "tc-clinicians",
            "TC-CME ",
            "3F1C0D2E-0000-4A5B-9C8D-0123456789AB",
        ],
    )

    assert added == {Role.CLINICIAN, Role.CME_COORDINATOR, Role.AUDITOR}
    assert removed == set()
    person.refresh_from_db()
    assert person.has_role(Role.CLINICIAN) and person.has_role(Role.AUDITOR)


def test_a_group_taken_away_removes_its_role_and_leaves_ungoverned_ones(mapping):
    person = _person(roles=[Role.CLINICIAN, Role.CME_COORDINATOR, Role.EDITOR])

    added, removed = apply_directory_groups(user=person, group_names=["TC-Clinicians"])

    assert (added, removed) == (set(), {Role.CME_COORDINATOR})
    person.refresh_from_db()
    assert person.has_role(Role.CLINICIAN)
    assert not person.has_role(Role.CME_COORDINATOR)
    # No row names the editor role, so the directory does not govern it.
    assert person.has_role(Role.EDITOR)


def test_no_groups_removes_every_governed_role(mapping):
    person = _person(roles=[Role.CLINICIAN, Role.AUDITOR])

    apply_directory_groups(user=person, group_names=[])

    person.refresh_from_db()
    assert not person.has_role(Role.CLINICIAN) and not person.has_role(Role.AUDITOR)
