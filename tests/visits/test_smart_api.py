"""The FHIR R4 API under bearer tokens: every resource type validates (fhir.resources
R4B and the official R4 JSON schema), scopes are enforced, other patients' ids are
404, revoked and expired tokens 401, and the authorization server refuses what
SMART App Launch 2 forbids."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.capabilitystatement import CapabilityStatement
from fhir.resources.R4B.operationoutcome import OperationOutcome

from accounts.leaving import deactivate_person
from tests.visits.fhir_checks import check_bundle_schema_only
from tests.visits.smart_helpers import (
    REDIRECT_URI,
    authorize_query,
    hidden_fields,
    pkce_pair,
    register_app,
    token_for,
)
from visits.models import AuditEvent, Reading
from visits.services.apps import connected_apps, revoke_every_app_token
from visits.smart.capability import IMPLEMENTED

pytestmark = pytest.mark.django_db
READ_ALL = "launch/patient openid fhirUser patient/*.rs"
TYPES = [kind for kind in IMPLEMENTED if kind != "Slot"]


def _get(path: str, token: str | None, **params):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return Client().get(f"/fhir/r4/{path}", params, **headers)


def _validated(data: dict):
    check_bundle_schema_only(data)  # the official R4 JSON schema, any resource
    return get_fhir_model_class(data["resourceType"]).model_validate(data)


def _outcome(response, status: int) -> str:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/fhir+json")
    outcome = _validated(response.json())
    assert isinstance(outcome, OperationOutcome)
    return outcome.issue[0].diagnostics


def test_every_resource_type_reads_and_searches_as_valid_r4(demo_world):
    patient = demo_world["patient"]
    token = token_for(patient, register_app(), READ_ALL)
    for kind in TYPES:
        response = _get(kind, token)
        assert response.status_code == 200, (kind, response.content[:300])
        assert response["Content-Type"].startswith("application/fhir+json")
        bundle = response.json()
        _validated(bundle)
        assert bundle["total"] >= 1, kind
        for entry in bundle["entry"]:
            resource = entry["resource"]
            one = _get(f"{kind}/{resource['id']}", token)
            assert one.status_code == 200
            assert one.json() == resource
            _validated(one.json())
    reads = AuditEvent.objects.filter(patient=patient, via_app="BP Diary")
    assert reads.filter(what="fhir_documentreference").exists()


def test_capability_statement_lists_what_is_implemented_and_the_smart_endpoints(
    db,
):
    data = Client().get("/fhir/r4/metadata").json()
    assert data["fhirVersion"] == "4.0.1"
    # The official JSON schema we hold is the 4.0.0 release, whose fhirVersion enum
    # stops at 4.0.0 (4.0.1 is R4's technical correction); everything else is
    # checked against it as served.
    check_bundle_schema_only({**data, "fhirVersion": "4.0.0"})
    statement = CapabilityStatement.model_validate(data)
    assert isinstance(statement, CapabilityStatement)
    served = {r.type: r for r in statement.rest[0].resource}
    assert set(served) == set(IMPLEMENTED)
    assert {i.code for i in served["Observation"].interaction} == {
        "read",
        "search-type",
        "create",
    }
    assert {p.name for p in served["Observation"].searchParam} == {
        "_id", "patient", "subject", "category", "code", "date",
    }  # fmt: skip
    oauth = statement.rest[0].security.extension[0]
    assert {e.url: e.valueUri for e in oauth.extension}["token"] == (
        "http://testserver/oauth/token/"
    )


def test_an_unlisted_search_parameter_is_refused_not_ignored(patient):
    token = token_for(patient, register_app(), READ_ALL)
    message = _outcome(_get("Observation", token, **{"value-quantity": "gt100"}), 400)
    assert "'value-quantity' is not supported" in message


@pytest.mark.parametrize(
    ("kind", "search"),
    [
        ("Observation", {"date": "9999-12-31"}),
        ("Observation", {"date": "9999-12-31T23:59:59.999999+00:00"}),
        ("Slot", {"start": "ge9999-12-31", "service-type": "wellness"}),
        ("Observation", {"date": "2026-02-30"}),
    ],
)
def test_dates_at_the_ends_of_the_calendar_are_refused_not_a_500(patient, kind, search):
    token = token_for(patient, register_app(), READ_ALL)
    message = _outcome(_get(kind, token, **search), 400)
    assert "is not a FHIR date" in message


def test_another_patients_ids_answer_404_as_operation_outcome(patient, other_patient):
    theirs = Reading.objects.create(
        patient=other_patient,
        kind="hr",
        heart_rate=70,
        measured_at=timezone.now(),
        source="manual",
    )
    token = token_for(patient, register_app(), READ_ALL)
    assert "was not found" in _outcome(_get(f"Observation/{theirs.uuid}", token), 404)
    _outcome(_get(f"Patient/{other_patient.uuid}", token), 404)
    search = _get("Observation", token, patient=str(other_patient.uuid))
    assert search.json()["total"] == 0
    assert AuditEvent.objects.filter(
        actor=patient, action="denied", what="fhir_observation"
    ).exists()


def test_a_token_without_the_scope_gets_403(patient):
    token = token_for(patient, register_app(), "launch/patient patient/Patient.rs")
    assert _get("Patient", token).status_code == 200
    message = _outcome(_get("Observation", token), 403)
    assert "patient/Observation.s" in message
    reading_only = token_for(patient, register_app("Other"), "patient/Observation.r")
    _outcome(_get("Observation", reading_only), 403)  # read, but not search


def test_missing_revoked_or_expired_tokens_get_401(patient):
    app = register_app()
    _outcome(_get("Patient", None), 401)
    _outcome(_get("Patient", "not-a-token"), 401)
    expired = token_for(patient, app, READ_ALL, expires_in=timedelta(seconds=-1))
    _outcome(_get("Patient", expired), 401)
    live = token_for(patient, app, READ_ALL)
    assert _get("Patient", live).status_code == 200
    assert revoke_every_app_token(patient) == 2
    response = _get("Patient", live)
    _outcome(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert connected_apps(patient=patient) == []


def _consent_page(client, app, challenge):
    return client.get(
        "/oauth/authorize/?"
        + authorize_query(
            app, aud="http://testserver/fhir/r4", scope=READ_ALL, challenge=challenge
        )
    )


def test_a_public_client_without_pkce_is_refused(patient):
    app = register_app()
    client = Client()
    client.force_login(patient)
    response = _consent_page(client, app, challenge=None)
    assert response.status_code == 302
    assert response["Location"].startswith(REDIRECT_URI)
    assert "error=invalid_request" in response["Location"]
    assert "code=" not in response["Location"]


def test_plain_pkce_and_a_foreign_audience_are_refused(patient):
    app = register_app()
    client = Client()
    client.force_login(patient)
    plain = client.get(
        "/oauth/authorize/?"
        + authorize_query(
            app, aud="http://testserver/fhir/r4", scope=READ_ALL, challenge="abc"
        ).replace("S256", "plain")
    )
    assert plain.status_code == 400
    assert "PKCE must use S256" in plain.content.decode()
    foreign = client.get(
        "/oauth/authorize/?"
        + authorize_query(
            app, aud="https://evil.example/fhir", scope=READ_ALL, challenge="x"
        )
    )
    assert foreign.status_code == 400


def test_the_token_endpoint_checks_the_pkce_verifier(patient):
    app = register_app()
    client = Client()
    client.force_login(patient)
    verifier, challenge = pkce_pair()
    consent = _consent_page(client, app, challenge)
    assert consent.status_code == 200
    allowed = client.post(
        "/oauth/authorize/", hidden_fields(consent.content.decode()) | {"allow": "1"}
    )
    code = allowed["Location"].split("code=")[1].split("&")[0]
    exchange = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT_URI,
        "client_id": app.client_id,
    }
    wrong = Client().post("/oauth/token/", exchange | {"code_verifier": "x" * 50})
    assert wrong.status_code == 400
    # A fresh code with the right verifier succeeds.
    consent = _consent_page(client, app, challenge)
    allowed = client.post(
        "/oauth/authorize/", hidden_fields(consent.content.decode()) | {"allow": "1"}
    )
    exchange["code"] = allowed["Location"].split("code=")[1].split("&")[0]
    right = Client().post("/oauth/token/", exchange | {"code_verifier": verifier})
    assert right.status_code == 200
    body = json.loads(right.content)
    assert body["patient"] == str(patient.uuid)
    assert "refresh_token" not in body  # no offline_access asked
    assert _get("Patient", body["access_token"]).status_code == 200


def test_only_patients_can_connect_apps(clinician):
    client = Client()
    client.force_login(clinician)
    response = _consent_page(client, register_app(), challenge="x" * 43)
    assert response.status_code == 403
    assert "Only patients can connect apps" in response.content.decode()


def test_refresh_with_offline_access_and_revocation_at_the_endpoint(patient):
    app = register_app()
    client = Client()
    client.force_login(patient)
    verifier, challenge = pkce_pair()
    consent = client.get(
        "/oauth/authorize/?"
        + authorize_query(
            app,
            aud="http://testserver/fhir/r4",
            scope=f"{READ_ALL} offline_access",
            challenge=challenge,
        )
    )
    allowed = client.post(
        "/oauth/authorize/", hidden_fields(consent.content.decode()) | {"allow": "1"}
    )
    assert "iss=" in allowed["Location"]  # RFC 9207
    code = allowed["Location"].split("code=")[1].split("&")[0]
    first = (
        Client()
        .post(
            "/oauth/token/",
            {
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": REDIRECT_URI,
                "client_id": app.client_id,
                "code_verifier": verifier,
            },
        )
        .json()
    )
    refreshed = Client().post(
        "/oauth/token/",
        {
            "grant_type": "refresh_token",
            "refresh_token": first["refresh_token"],
            "client_id": app.client_id,
        },
    )
    assert refreshed.status_code == 200
    second = refreshed.json()
    assert second["patient"] == str(patient.uuid)
    assert second["refresh_token"] != first["refresh_token"]  # rotated
    _outcome(_get("Patient", first["access_token"]), 401)  # replaced
    assert _get("Patient", second["access_token"]).status_code == 200

    revoked = Client().post(
        "/oauth/revoke_token/",
        {"token": second["refresh_token"], "client_id": app.client_id},
    )
    assert revoked.status_code == 200
    _outcome(_get("Patient", second["access_token"]), 401)
    again = Client().post(
        "/oauth/token/",
        {
            "grant_type": "refresh_token",
            "refresh_token": second["refresh_token"],
            "client_id": app.client_id,
        },
    )
    assert again.status_code == 400


def test_leaving_revokes_every_app_token_and_says_so(patient):
    live = token_for(patient, register_app(), READ_ALL)

    report = deactivate_person(person=patient)

    [door] = [door for door in report.doors if door.step == "api_tokens"]
    assert door.summary == "1 app token revoked."
    _outcome(_get("Patient", live), 401)
