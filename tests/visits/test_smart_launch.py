"""The SMART standalone patient launch, driven by fhirclient (an independent SMART
client) against a live server: discovery, PKCE, consent, token, then FHIR reads."""

from datetime import timedelta

import jwt
import pytest
import requests
from django.test import Client
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.patient import Patient
from fhirclient import client as fhir_client
from fhirclient.models.observation import Observation as ClientObservation

from tests.visits.fhir_checks import check_bundle_schema_only
from tests.visits.smart_helpers import REDIRECT_URI, hidden_fields, register_app
from visits.models import AuditEvent, Reading

SCOPE = (
    "launch/patient openid fhirUser offline_access "
    "patient/Patient.rs patient/Observation.rs"
)


def _signed_in_session(live_server, person) -> requests.Session:
    django_client = Client()
    django_client.force_login(person)
    session = requests.Session()
    session.cookies.set("sessionid", django_client.cookies["sessionid"].value)
    return session


@pytest.mark.django_db(transaction=True)
def test_standalone_launch_with_fhirclient_reads_the_record(
    live_server, settings, patient
):
    settings.BASE_URL = live_server.url
    app = register_app("BP Diary")
    for minutes, systolic in ((30, 128), (20, 150)):
        Reading.objects.create(
            patient=patient,
            kind="bp",
            systolic=systolic,
            diastolic=80,
            measured_at=timezone.now() - timedelta(minutes=minutes),
            source="manual",
        )
    base = f"{live_server.url}/fhir/r4"

    discovery = requests.get(f"{base}/.well-known/smart-configuration", timeout=10)
    assert discovery.status_code == 200
    config = discovery.json()
    assert config["code_challenge_methods_supported"] == ["S256"]
    assert "launch-standalone" in config["capabilities"]
    assert config["authorization_endpoint"] == f"{live_server.url}/oauth/authorize/"

    smart = fhir_client.FHIRClient(
        settings={
            "app_id": app.client_id,
            "api_base": base,
            "redirect_uri": REDIRECT_URI,
            "scope": SCOPE,
        }
    )
    authorize_url = smart.authorize_url  # reads /metadata's SMART extension
    assert authorize_url.startswith(f"{live_server.url}/oauth/authorize/?")
    assert "code_challenge_method=S256" in authorize_url

    browser = _signed_in_session(live_server, patient)
    consent = browser.get(authorize_url, timeout=10)
    assert consent.status_code == 200
    assert "Connect “BP Diary” to your health record?" in consent.text
    assert "Read your home readings (blood pressure and heart rate)." in consent.text
    assert "Keep access when you are not using the app" in consent.text
    form = hidden_fields(consent.text) | {"allow": "Authorize"}
    answer = browser.post(
        f"{live_server.url}/oauth/authorize/",
        data=form,
        headers={"Referer": authorize_url},
        allow_redirects=False,
        timeout=10,
    )
    assert answer.status_code == 302
    callback = answer.headers["Location"]
    assert callback.startswith(REDIRECT_URI)

    smart.handle_callback(callback)
    assert smart.patient_id == str(patient.uuid)
    assert smart.server.auth.refresh_token  # offline_access was granted
    assert smart.patient.name[0].text == "Patient"

    search = ClientObservation.where(
        {"patient": smart.patient_id, "code": "85354-9", "_sort": "-date"}
    )
    bundle = next(search.perform_iter(smart.server)).as_json()
    Bundle.model_validate(bundle)
    check_bundle_schema_only(bundle)
    systolics = [
        entry["resource"]["component"][0]["valueQuantity"]["value"]
        for entry in bundle["entry"]
    ]
    assert systolics == [150, 128]

    events = AuditEvent.objects.filter(patient=patient, via_app="BP Diary")
    assert set(events.values_list("what", flat=True)) == {
        "fhir_patient",
        "fhir_observation",
    }


@pytest.mark.django_db(transaction=True)
def test_id_token_names_the_patient_and_is_signed_with_the_published_key(
    live_server, settings, patient
):
    settings.BASE_URL = live_server.url
    app = register_app("BP Diary")
    smart = fhir_client.FHIRClient(
        settings={
            "app_id": app.client_id,
            "api_base": f"{live_server.url}/fhir/r4",
            "redirect_uri": REDIRECT_URI,
            "scope": "launch/patient openid fhirUser patient/Patient.rs",
        }
    )
    browser = _signed_in_session(live_server, patient)
    consent = browser.get(smart.authorize_url, timeout=10)
    answer = browser.post(
        f"{live_server.url}/oauth/authorize/",
        data=hidden_fields(consent.text) | {"allow": "Authorize"},
        allow_redirects=False,
        timeout=10,
    )
    # The server-level call returns the whole token response (FHIRClient keeps
    # only the patient from it).
    context = smart.server.handle_callback(answer.headers["Location"])
    assert context["patient"] == str(patient.uuid)
    # Without offline_access there is no refresh token.
    assert smart.server.auth.refresh_token is None
    keys = jwt.PyJWKClient(f"{live_server.url}/oauth/.well-known/jwks.json")
    id_token = context["id_token"]
    claims = jwt.decode(
        id_token,
        keys.get_signing_key_from_jwt(id_token).key,
        algorithms=["RS256"],
        audience=app.client_id,
    )
    assert claims["fhirUser"] == f"{live_server.url}/fhir/r4/Patient/{patient.uuid}"
    assert claims["iss"] == f"{live_server.url}/oauth"
    smart.patient_id = context["patient"]
    Patient.model_validate(smart.patient.as_json())
