import pytest
from django.contrib.auth.models import Group

from accounts.roles import ROLE_PERMISSIONS, Role


@pytest.mark.django_db
def test_every_role_is_a_group_with_its_permissions():
    for role, permissions in ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=role.value)
        granted = {
            f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()
        }
        assert granted == set(permissions), role


def test_staff_and_patients(patient, clinician, auditor):
    assert not patient.is_staff_role
    assert clinician.is_staff_role
    assert auditor.is_staff_role
    assert patient.has_role(Role.PATIENT)
    assert not patient.has_role(Role.CLINICIAN)


def test_editor_can_reach_wagtail_admin_but_patient_cannot(editor, patient):
    assert editor.has_perm("wagtailadmin.access_admin")
    assert not patient.has_perm("wagtailadmin.access_admin")
