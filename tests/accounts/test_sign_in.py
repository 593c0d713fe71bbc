import time
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from tests.conftest import PASSWORD, make_person
from tests.totp import totp_now


def sign_in(client, login, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": login, "password": password})


def test_patient_signs_in_without_totp(client, patient):
    response = sign_in(client, "patient")
    assert response.status_code == 302
    assert response.url == "/"
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_patient_can_sign_in_with_email(client, patient):
    response = sign_in(client, "patient@example.org")
    assert response.status_code == 302
    assert response.url == "/"


def test_staff_with_totp_must_enter_a_code(client, clinician):
    response = sign_in(client, "clinician")
    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")
    # Not signed in yet: the profile still asks for sign-in.
    assert client.get(reverse("accounts:profile")).status_code == 302

    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200
    assert client.get(reverse("accounts:profile")).status_code == 302

    right = client.post(
        reverse("mfa_authenticate"), {"code": totp_now(settings.DEMO_TOTP_SECRET)}
    )
    assert right.status_code == 302
    assert right.url == reverse("staff_home")  # a clinician lands on their work
    assert client.get(reverse("accounts:profile")).status_code == 200


@pytest.mark.django_db
def test_staff_without_totp_cannot_open_admin_until_set_up(client):
    editor = make_person("fresh_editor", [Role.EDITOR])
    assert sign_in(client, "fresh_editor").status_code == 302
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")
    # The set-up page itself is reachable, after allauth's password re-check.
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert client.get(reverse("mfa_activate_totp")).status_code == 200

    from accounts.services import activate_totp

    activate_totp(user=editor, secret=settings.DEMO_TOTP_SECRET)
    assert client.get("/admin/").status_code == 200


def test_clinical_pages_need_totp_for_staff_too(client, db):
    nurse = make_person("fresh_nurse", [Role.CLINICIAN])
    client.force_login(nurse)
    # Written out, not read from the setting: dropping a prefix there must fail.
    for prefix in [
        "/admin/",
        "/django-admin/",
        "/visits/",
        "/meetings/",
        "/courses/",
        "/admin/certificates/",
        "/staff/",
    ]:
        response = client.get(prefix)
        assert response.status_code == 302, prefix
        assert response.url == reverse("mfa_activate_totp"), prefix


def test_patient_is_not_forced_into_totp(client, patient):
    client.force_login(patient)
    # Patients get the normal 404/403 of the page, never the TOTP set-up redirect.
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url != reverse("mfa_activate_totp")


def test_django_admin_is_for_superusers_only(client, editor, site_admin):
    client.force_login(editor)
    # accounts.permissions.RepairAdminSite: not found for anyone but superusers.
    assert client.get("/django-admin/").status_code == 404
    client.force_login(site_admin)
    assert client.get("/django-admin/").status_code == 200


def test_repeated_failed_sign_ins_are_throttled(client, patient):
    for _attempt in range(5):
        response = sign_in(client, "patient", "wrong-password")
        assert response.status_code == 200
    response = sign_in(client, "patient", "wrong-password")
    assert (
        response.status_code == 429
        or "Too many failed login attempts" in response.content.decode()
    )
    # Even the right password is refused while throttled.
    response = sign_in(client, "patient")
    assert response.status_code != 302


def test_staff_session_expires_after_inactivity(client, clinician):
    client.force_login(clinician)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert client.get(reverse("accounts:profile")).status_code == 200
    idle = timedelta(minutes=settings.STAFF_SESSION_IDLE_MINUTES + 1)
    with time_machine.travel(start + idle, tick=False):
        response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_staff_session_survives_activity_within_the_limit(client, clinician):
    client.force_login(clinician)
    start = timezone.now()
    step = timedelta(minutes=settings.STAFF_SESSION_IDLE_MINUTES - 5)
    for n in range(4):
        with time_machine.travel(start + n * step, tick=False):
            assert client.get(reverse("accounts:profile")).status_code == 200


def test_patient_session_is_not_cut_after_staff_idle_limit(client, patient):
    client.force_login(patient)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.get(reverse("accounts:profile"))
    with time_machine.travel(start + timedelta(minutes=45), tick=False):
        assert client.get(reverse("accounts:profile")).status_code == 200


def test_clinician_without_admin_access_gets_a_page_not_a_loop(client, clinician):
    client.force_login(clinician)
    response = client.get("/admin/", follow=True)
    assert response.status_code == 200
    assert len(response.redirect_chain) <= 2
    assert "permission" in response.content.decode().lower()


def test_a_code_from_the_previous_window_is_accepted_once(client, clinician):
    assert sign_in(client, "clinician").url == reverse("mfa_authenticate")
    previous = totp_now(settings.DEMO_TOTP_SECRET, at=time.time() - 30)
    assert (
        client.post(reverse("mfa_authenticate"), {"code": previous}).status_code == 302
    )

    client.logout()
    sign_in(client, "clinician")
    replay = client.post(reverse("mfa_authenticate"), {"code": previous})
    assert replay.status_code == 200  # the same code cannot be used twice


HOSPITAL_NAT = "203.0.113.7"


def sign_in_from(client, address, login, password=PASSWORD):
    return client.post(
        reverse("account_login"),
        {"login": login, "password": password},
        REMOTE_ADDR=address,
    )


def test_one_persons_failures_do_not_lock_out_a_shared_hospital_address(client, db):
    """Staff behind one NAT address: twenty people mistype once in the same minute,
    then a colleague signs in from the same address with the right password."""
    for n in range(20):
        make_person(f"nurse{n}", [Role.PATIENT])
        response = sign_in_from(client, HOSPITAL_NAT, f"nurse{n}", "wrong-password")
        assert response.status_code == 200
    make_person("colleague", [Role.PATIENT])
    response = sign_in_from(client, HOSPITAL_NAT, "colleague")
    assert response.status_code == 302, "a correct password from the NAT is refused"


def test_an_account_is_locked_alone_after_five_failures(client, db):
    make_person("target", [Role.PATIENT])
    make_person("bystander", [Role.PATIENT])
    for _attempt in range(5):
        sign_in_from(client, HOSPITAL_NAT, "target", "wrong-password")
    refused = sign_in_from(client, "198.51.100.1", "target")
    assert refused.status_code != 302, "the account is locked from every address"
    client.logout()
    assert sign_in_from(client, HOSPITAL_NAT, "bystander").status_code == 302


def test_an_address_spraying_many_accounts_is_throttled(client, db):
    for n in range(30):
        sign_in_from(client, "192.0.2.66", f"guess{n}", "wrong-password")
    make_person("sprayed", [Role.PATIENT])
    response = sign_in_from(client, "192.0.2.66", "sprayed")
    assert response.status_code != 302


def test_behind_the_tls_proxy_addresses_come_from_x_forwarded_for(client, settings, db):
    """Production runs behind nginx: every request's REMOTE_ADDR is the proxy's."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    for n in range(30):
        client.post(
            reverse("account_login"),
            {"login": f"guess{n}", "password": "wrong"},
            HTTP_X_FORWARDED_FOR="192.0.2.66",
            **proxy,
        )
    make_person("elsewhere", [Role.PATIENT])
    response = client.post(
        reverse("account_login"),
        {"login": "elsewhere", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.9",
        **proxy,
    )
    assert response.status_code == 302


def test_certificate_verification_throttles_the_client_not_the_proxy(rf, settings):
    from accounts.client_ip import client_ip

    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    request = rf.get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.50, 198.51.100.9"
    )
    assert client_ip(request) == "198.51.100.9"
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="junk")
    assert client_ip(request) == "127.0.0.1"
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.50")
    assert client_ip(request) == "127.0.0.1"
