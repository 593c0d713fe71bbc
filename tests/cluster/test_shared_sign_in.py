"""Sign-in state lives in the shared services, so any node serves any request."""

import requests
from django.conf import settings

from tests.cluster.conftest import FRONT, NODE_URLS, post_form
from tests.totp import totp_now

PASSWORD = settings.DEMO_PASSWORD
PROFILE = "/account/profile/"
LOGIN = "/accounts/login/"
MFA = "/accounts/2fa/authenticate/"


def _session_cookie(session: requests.Session) -> dict:
    return {"sessionid": session.cookies["sessionid"]}


def test_a_session_started_on_one_node_is_kept_by_every_node():
    browser = requests.Session()
    signed_in = post_form(
        browser, NODE_URLS["web1"] + LOGIN, {"login": "patient", "password": PASSWORD}
    )
    assert signed_in.status_code == 302, signed_in.text[:500]
    cookie = _session_cookie(browser)

    for name, base in NODE_URLS.items():
        page = requests.get(
            base + PROFILE, cookies=cookie, allow_redirects=False, timeout=10
        )
        assert page.status_code == 200, f"{name} did not know the session"
        assert "Pat Patient" in page.text
    # And through HAProxy, whose round robin spreads these over all three nodes.
    for _ in range(6):
        page = requests.get(
            FRONT + PROFILE, cookies=cookie, allow_redirects=False, timeout=10
        )
        assert page.status_code == 200
        assert "Pat Patient" in page.text


def test_a_totp_code_used_on_one_node_is_refused_on_another():
    code = totp_now(settings.DEMO_TOTP_SECRET)

    first = requests.Session()
    post_form(
        first, NODE_URLS["web1"] + LOGIN, {"login": "clinician", "password": PASSWORD}
    )
    accepted = post_form(first, NODE_URLS["web1"] + MFA, {"code": code})
    assert accepted.status_code == 302, "the fresh code was refused"

    second = requests.Session()
    post_form(
        second, NODE_URLS["web2"] + LOGIN, {"login": "clinician", "password": PASSWORD}
    )
    replayed = post_form(second, NODE_URLS["web2"] + MFA, {"code": code})
    assert replayed.status_code == 200, "web2 accepted a code already used on web1"
    assert "Incorrect code" in replayed.text
    page = second.get(NODE_URLS["web2"] + PROFILE, allow_redirects=False, timeout=10)
    assert page.status_code == 302  # still not signed in


def test_failed_sign_ins_are_counted_across_nodes():
    # allauth allows 5 failures per account in 15 minutes (ACCOUNT_RATE_LIMITS);
    # spread by HAProxy over the nodes they must still add up to 5.
    served_by = set()
    for _ in range(5):
        wrong = post_form(
            requests.Session(),
            FRONT + LOGIN,
            {"login": "patient2", "password": "not-the-password"},
        )
        assert wrong.status_code == 200
        assert "Too many failed" not in wrong.text
        served_by.add(wrong.headers["X-Served-By"])
    assert len(served_by) > 1, "all failures landed on one node"
    locked = post_form(
        requests.Session(), FRONT + LOGIN, {"login": "patient2", "password": PASSWORD}
    )
    assert locked.status_code == 200, "the right password got in after 5 failures"
    assert "Too many failed login attempts" in locked.text
