"""The role-aware home ("My work"), where each role lands after sign-in, and the
header navigation per role."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import reverse

from accounts.adapter import AccountAdapter
from accounts.landing import landing_url
from accounts.roles import Role
from certificates import services as certificate_services
from tests.certificates.factories import claim
from tests.conftest import make_person
from tests.courses import factories
from tests.ops.test_navigation import labels_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "landing"),
    [
        ("patient", "/"),
        ("editor", "/admin/"),
        ("reviewer", "/admin/"),
        ("coordinator", "/staff/"),
        ("meeting_admin", "/staff/"),
        ("auditor", "/staff/"),
        ("clinician", "/staff/"),
        ("specialist", "/staff/"),
    ],
)
def test_each_role_lands_on_its_work_after_sign_in(request, persona, landing):
    user = request.getfixturevalue(persona)
    assert landing_url(user) == landing
    sign_in = RequestFactory().post("/accounts/login/")
    sign_in.user = user
    assert AccountAdapter(sign_in).get_login_redirect_url(sign_in) == landing


def test_a_patient_signing_in_lands_on_the_public_home(client, patient):
    from tests.conftest import PASSWORD

    response = client.post(
        reverse("account_login"), {"login": "patient", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.url == "/"


def test_signed_out_and_patients_do_not_get_the_staff_home(client, patient):
    assert client.get("/staff/").status_code == 302
    client.force_login(patient)
    assert client.get("/staff/").status_code == 404


def test_the_coordinator_sees_activities_with_claims_waiting_and_issuing_runs(
    client, coordinator, clinician, specialist, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    activity = factories.activity(lectures=0)
    claim(clinician, activity=activity)
    claim(specialist, activity=activity, complete=False)
    run = certificate_services.start_issuing_run(
        activity=activity,
        claims=activity.enrolments.first().claims.all(),
        requested_by=coordinator,
    )
    client.force_login(coordinator)
    page = client.get("/staff/").content.decode()
    assert "<h1>My work</h1>" in page
    assert "Hypertension management in telehealth" in page
    assert "2 credit claims, 2 without a certificate" in page
    assert reverse("courses_report", args=[activity.uuid]) in page
    assert reverse("certificates_admin:run", args=[run.uuid]) in page
    assert "Bulk issuing for “Hypertension management in telehealth”" in page
    # Not another role's work.
    assert "Search the audit log" not in page
    assert "Today&#x27;s visits" not in page


def test_the_auditor_sees_audit_work_only(client, auditor):
    client.force_login(auditor)
    page = client.get("/staff/").content.decode()
    assert reverse("visits:audit") in page
    assert reverse("visits:break_glass_queue") in page
    assert "CME activities" not in page
    assert "Book a visit" not in page
    assert labels_for(auditor) == ["My work", "Audit log", "Emergency access review"]


def test_the_clinician_sees_visits_and_cme_in_progress(client, clinician):
    from courses import services

    activity = factories.activity(lectures=1)
    enrolment = services.enrol(learner=clinician, activity=activity)
    client.force_login(clinician)
    page = client.get("/staff/").content.decode()
    assert "Today&#x27;s visits" in page
    assert reverse("visits:home") in page
    assert reverse("courses:enrolment", args=[enrolment.uuid]) in page
    assert "0% done" in page
    assert reverse("certificates:mine") in page


def test_the_specialist_finds_referrals_and_the_meeting_admin_scheduling(
    client, specialist, meeting_admin
):
    client.force_login(specialist)
    page = client.get("/staff/").content.decode()
    assert "Open my referrals" in page
    client.force_login(meeting_admin)
    page = client.get("/staff/").content.decode()
    assert reverse("meetings:schedule") in page
    assert "You have no meetings in the next 7 days." in page


def test_navigation_is_a_table_per_role(coordinator, editor, meeting_admin):
    assert labels_for(coordinator) == [
        "My work",
        "CME reports",
        "Certificates",
        "My meetings",
    ]
    assert labels_for(editor)[0] == "Admin"
    assert "Schedule a meeting" in labels_for(meeting_admin)
    assert labels_for(AnonymousUser())[0] == "Home"


def test_only_superusers_are_offered_the_django_admin(client, site_admin):
    repairs = reverse("admin:index")
    clinic = reverse("visit_types:index")
    client.force_login(site_admin)
    page = client.get(reverse("staff_home")).content.decode()
    assert repairs in page and clinic in page
    administrator = make_person("plain_admin", [Role.SITE_ADMINISTRATOR], totp=True)
    client.force_login(administrator)
    page = client.get(reverse("staff_home")).content.decode()
    assert clinic in page
    assert repairs not in page  # it would answer 404
