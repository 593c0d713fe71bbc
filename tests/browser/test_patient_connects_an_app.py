"""A patient (America/Chicago) connects an app: the consent screen names the app and
says in plain words what it may do; the Connected apps page, reached by clicking
from the landing page, shows it and disconnects it; "Who viewed my record" names
the app that read the record."""

from urllib.parse import urlsplit

import pytest
from django.test import Client
from playwright.sync_api import expect

from accounts.roles import Role
from tests.browser.helpers import serious_violations, sign_in
from tests.browser.shots import shoot
from tests.conftest import make_person
from tests.visits.smart_helpers import authorize_query, pkce_pair, register_app

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SCOPE = (
    "launch/patient openid fhirUser offline_access patient/Patient.rs "
    "patient/Observation.rs patient/Observation.c"
)


def test_patient_allows_an_app_then_sees_and_disconnects_it(
    page, live_server, settings
):
    settings.BASE_URL = live_server.url
    make_person("patient", [Role.PATIENT], time_zone="America/Chicago")
    # The app lives on another origin: the consent form's redirect must be let through.
    parts = urlsplit(live_server.url)
    other_host = "localhost" if parts.hostname == "127.0.0.1" else "127.0.0.1"
    other_origin = f"http://{other_host}:{parts.port}"
    app = register_app("BP Diary", redirect_uri=f"{other_origin}/healthz")
    verifier, challenge = pkce_pair()
    query = authorize_query(
        app,
        aud=f"{live_server.url}/fhir/r4",
        scope=SCOPE,
        challenge=challenge,
        redirect_uri=f"{other_origin}/healthz",
    )

    sign_in(page, live_server, "patient")
    # The app sends the patient's browser to the authorization page.
    page.goto(f"{live_server.url}/oauth/authorize/?{query}")
    expect(
        page.get_by_role("heading", name="Connect “BP Diary” to your health record?")
    ).to_be_visible()
    consent = page.locator(".consent-list")
    expect(consent).to_contain_text("Read your name and contact details.")
    expect(consent).to_contain_text("Send new home readings to your record.")
    expect(consent).to_contain_text("Keep access when you are not using the app")
    assert "patient/Observation" not in page.locator("main").inner_text()
    assert serious_violations(page) == []
    shoot(page, "smart-consent")
    page.get_by_role("button", name="Allow BP Diary").click()
    page.wait_for_url(lambda url: url.startswith(f"{other_origin}/healthz?code="))

    code = page.url.split("code=")[1].split("&")[0]
    token = Client().post(
        "/oauth/token/",
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": f"{other_origin}/healthz",
            "client_id": app.client_id,
            "code_verifier": verifier,
        },
    )
    assert token.status_code == 200, token.content
    access = token.json()["access_token"]
    api = Client(HTTP_AUTHORIZATION=f"Bearer {access}")
    assert api.get("/fhir/r4/Observation").status_code == 200

    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="My visits").first.click()
    page.get_by_role("link", name="Connected apps").click()
    card = page.locator(".connected-app")
    expect(card).to_contain_text("BP Diary")
    expect(card).to_contain_text("Send new home readings to your record.")
    expect(card).to_contain_text("Last used your record:")
    expect(page.locator("main")).to_contain_text("Times are shown in America/Chicago.")
    assert serious_violations(page) == []
    shoot(page, "smart-connected-apps")

    page.get_by_role("link", name="Who viewed my record").click()
    expect(page.locator("table.access-log")).to_contain_text(
        "BP Diary, an app you connected"
    )
    page.get_by_role("link", name="Connected apps").click()
    page.get_by_role("button", name="Disconnect BP Diary").click()
    expect(page.locator("main")).to_contain_text("The app was disconnected.")
    expect(page.locator("main")).to_contain_text(
        "No apps are connected to your record."
    )
    assert api.get("/fhir/r4/Observation").status_code == 401
