"""Every hand-made staff screen answers as accounts.permissions documents: not
signed in, the sign-in page; signed in without the permission, 404; with it, the
screen. The Django admin lets in superusers only (low-level repair).

The screens are found by walking the URLconf for views guarded by
`require_permission`, so a new screen must be listed here and a screen that drops
the helper fails the first test."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.leaving import deactivate_person
from accounts.roles import Role
from certificates import services as certificates
from courses.models import CreditClaim
from tests.certificates.factories import claim
from tests.conftest import make_person
from tests.courses import factories as course_factories

pytestmark = pytest.mark.django_db

SIGN_IN = "/accounts/login/"

# URL name -> (permission, the role that holds it).
SCREENS = {
    "accounts_deactivate": ("accounts.deactivate_person", Role.SITE_ADMINISTRATOR),
    "accounts_leaving_report": ("accounts.deactivate_person", Role.SITE_ADMINISTRATOR),
    "courses_reports": ("courses.view_enrolment", Role.CME_COORDINATOR),
    "courses_report": ("courses.view_enrolment", Role.CME_COORDINATOR),
    "courses_pars": ("courses.view_enrolment", Role.CME_COORDINATOR),
    "courses_acknowledgements": ("courses.view_enrolment", Role.CME_COORDINATOR),
    "certificates_admin:manage": (
        "certificates.view_certificate",
        Role.CME_COORDINATOR,
    ),
    "certificates_admin:revoke": (
        "certificates.revoke_certificate",
        Role.CME_COORDINATOR,
    ),
    "certificates_admin:decide_correction": (
        "certificates.change_namecorrection",
        Role.CME_COORDINATOR,
    ),
    "certificates_admin:issue_for_activity": (
        "certificates.issue_certificates",
        Role.CME_COORDINATOR,
    ),
    "certificates_admin:run": ("certificates.issue_certificates", Role.CME_COORDINATOR),
    "certificates_admin:run_json": (
        "certificates.issue_certificates",
        Role.CME_COORDINATOR,
    ),
    "meetings:schedule": ("meetings.schedule_meeting", Role.MEETING_ADMINISTRATOR),
}


def _guarded(patterns, namespace: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else ""
            yield from _guarded(pattern.url_patterns, inner or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            # Wagtail's admin gate copies the view's attributes (update_wrapper).
            permission = getattr(pattern.callback, "required_permission", None)
            if permission:
                yield f"{namespace}{pattern.name}", permission


def test_every_guarded_screen_is_listed_with_its_permission():
    found = dict(_guarded(get_resolver().url_patterns))
    assert found == {name: permission for name, (permission, _) in SCREENS.items()}


@pytest.fixture
def world(clinician, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    activity = course_factories.activity(lectures=0)
    certificate = certificates.issue_certificate(
        claim=claim(clinician, activity=activity)
    )
    correction = certificates.request_name_correction(
        certificate=certificate,
        learner=clinician,
        requested_name="Dana Q. Clinician, MD",
        reason="Middle initial missing.",
    )
    run = certificates.start_issuing_run(
        activity=activity,
        claims=CreditClaim.objects.filter(enrolment__activity=activity),
    )
    leaver = make_person("leaver", [Role.EDITOR])
    report = deactivate_person(person=leaver)
    return {
        "accounts_deactivate": [clinician.uuid],
        "accounts_leaving_report": [report.event_uuid],
        "courses_report": [activity.uuid],
        "courses_pars": [activity.uuid],
        "courses_acknowledgements": [activity.uuid],
        "certificates_admin:revoke": [certificate.uuid],
        "certificates_admin:decide_correction": [correction.uuid],
        "certificates_admin:issue_for_activity": [activity.uuid],
        "certificates_admin:run": [run.uuid],
        "certificates_admin:run_json": [run.uuid],
    }


@pytest.mark.parametrize("name", sorted(SCREENS))
def test_each_screen_answers_as_documented(client, world, editor, name):
    url = reverse(name, args=world.get(name, []))
    permission, role = SCREENS[name]

    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert anonymous.url.startswith(SIGN_IN)

    # An editor is staff with the Wagtail admin, but holds none of these.
    assert not editor.has_perm(permission)
    client.force_login(editor)
    assert client.get(url).status_code == 404

    holder = make_person(f"holder_{role}", [role], totp=True)
    assert holder.has_perm(permission) and not holder.is_superuser
    client.force_login(holder)
    assert client.get(url).status_code == 200


DJANGO_ADMIN = [
    "/django-admin/",
    "/django-admin/login/",
    "/django-admin/accounts/user/",
]


@pytest.mark.parametrize("url", DJANGO_ADMIN)
def test_the_django_admin_is_for_superusers_only(client, site_admin, url):
    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert anonymous.url.startswith(SIGN_IN)

    staff = make_person(
        "staff_not_superuser", [Role.SITE_ADMINISTRATOR], totp=True, is_staff=True
    )
    client.force_login(staff)
    assert client.get(url).status_code == 404

    client.force_login(site_admin)
    answer = client.get(url, follow=True)
    assert answer.status_code == 200
    assert "low-level repair" in answer.content.decode()
