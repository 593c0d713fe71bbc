"""No page tells an outsider which usernames or email addresses have accounts (#7).

Each flow is run twice, once for an existing person and once for nobody, and the
two answers must be the same (status, redirect, page text).
"""

import pytest
from django.urls import reverse

from accounts.models import User

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-long-and-unusual-passphrase-42"


def _sign_up(client, **fields):
    return client.post(
        reverse("account_signup"),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, **fields},
        follow=True,
    )


def _visible_text(response) -> str:
    return response.content.decode()


def test_sign_up_asks_for_no_username(client):
    form = client.get(reverse("account_signup")).content.decode()
    assert 'name="email"' in form
    assert 'name="username"' not in form


def test_sign_up_with_a_taken_username_says_nothing_about_it(client, patient):
    # On main the form asked for a username and answered "A user with that
    # username already exists."
    taken = _sign_up(client, email="someone.new@example.org", username="patient")
    assert "already exists" not in _visible_text(taken)
    assert taken.redirect_chain[-1][0] == reverse("account_email_verification_sent")
    assert User.objects.filter(email="someone.new@example.org").exists()


def test_sign_up_with_a_taken_email_looks_like_a_new_sign_up(
    client, patient, mailoutbox
):
    taken = _sign_up(client, email=patient.email)
    client.logout()
    fresh = _sign_up(client, email="nobody.yet@example.org")
    assert taken.status_code == fresh.status_code == 200
    assert taken.redirect_chain == fresh.redirect_chain
    assert "already" not in _visible_text(taken)
    assert User.objects.filter(email=patient.email).count() == 1
    # The owner of the address hears about it by email, not the person at the form.
    assert [m.to for m in mailoutbox] == [[patient.email], ["nobody.yet@example.org"]]
    assert "already" in mailoutbox[0].body


def test_new_people_sign_in_with_their_email(client, mailoutbox):
    _sign_up(client, email="fresh@example.org")
    user = User.objects.get(email="fresh@example.org")
    assert user.username  # generated, never asked for
    link = next(w for w in mailoutbox[0].body.split() if "/confirm-email/" in w)
    client.post(link.split("testserver", 1)[1])
    client.logout()
    response = client.post(
        reverse("account_login"),
        {"login": "fresh@example.org", "password": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response.url == "/"


@pytest.mark.parametrize("login", ["patient", "patient@example.org"])
def test_sign_in_failure_reads_the_same_for_real_and_unknown_accounts(
    client, patient, login
):
    unknown = "nobody" if "@" not in login else "nobody@example.org"
    real = client.post(
        reverse("account_login"), {"login": login, "password": "wrong-password"}
    )
    fake = client.post(
        reverse("account_login"), {"login": unknown, "password": "wrong-password"}
    )
    assert real.status_code == fake.status_code == 200
    assert real.context["form"].errors == fake.context["form"].errors


def test_password_reset_reads_the_same_for_real_and_unknown_addresses(client, patient):
    real = client.post(
        reverse("account_reset_password"), {"email": patient.email}, follow=True
    )
    fake = client.post(
        reverse("account_reset_password"),
        {"email": "nobody@example.org"},
        follow=True,
    )
    assert real.redirect_chain == fake.redirect_chain
    assert _visible_text(real) == _visible_text(fake)


def test_adding_someone_elses_email_is_not_refused_by_name(
    client, patient, other_patient
):
    client.force_login(patient)
    taken = client.post(
        reverse("account_email"), {"action_add": "", "email": other_patient.email}
    )
    client.force_login(patient)
    fresh = client.post(
        reverse("account_email"), {"action_add": "", "email": "spare@example.org"}
    )
    assert taken.status_code == fresh.status_code
    assert "already" not in _visible_text(taken)


def test_production_refuses_sign_up_without_mandatory_verification():
    """Only mandatory verification lets allauth hide which addresses are taken."""
    from tests.ops.test_settings import PRODUCTION_KEY, manage

    result = manage(
        "check",
        DEBUG="0",
        SECRET_KEY=PRODUCTION_KEY,
        ALLOWED_HOSTS="portal.example.org",
        EMAIL_URL="smtp://relay.example.org:587",
        ACCOUNT_EMAIL_VERIFICATION="optional",
    )
    assert result.returncode != 0
    assert "ACCOUNT_EMAIL_VERIFICATION" in result.stderr
