import re

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from accounts.models import User
from tests.conftest import PASSWORD


@pytest.mark.django_db
def test_sign_up_sends_a_verification_email_and_blocks_sign_in_until_verified(
    client, mailoutbox
):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "new.patient@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    assert User.objects.filter(email="new.patient@example.org").exists()
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["new.patient@example.org"]
    link = re.search(
        r"https?://\S+/accounts/confirm-email/\S+/", mailoutbox[0].body
    ).group(0)

    client.logout()
    response = client.post(
        reverse("account_login"),
        {"login": "new.patient@example.org", "password": PASSWORD},
    )
    assert response.url == reverse("account_email_verification_sent")

    path = link.split("testserver", 1)[1]
    assert client.post(path).status_code == 302
    response = client.post(
        reverse("account_login"),
        {"login": "new.patient@example.org", "password": PASSWORD},
    )
    assert response.url == "/"


def test_password_reset_emails_a_link(client, patient, mailoutbox):
    response = client.post(reverse("account_reset_password"), {"email": patient.email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert "/accounts/password/reset/key/" in mailoutbox[0].body


def test_sign_out_ends_the_session(client, patient):
    client.force_login(patient)
    assert client.post(reverse("account_logout")).status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_patients_are_offered_two_factor_authentication(client, patient):
    client.force_login(patient)
    response = client.get(reverse("mfa_index"))
    assert response.status_code == 200
    assert reverse("mfa_activate_totp") in response.content.decode()


def test_the_500_page_is_styled_and_reassuring():
    response = server_error(RequestFactory().get("/"))
    body = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong on our side" in body
    assert "Nothing you saved" in body
    assert 'href="#main"' in body
