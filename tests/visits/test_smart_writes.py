"""Apps writing to the record: a home reading posted with fhirpy (an independent
FHIR client) goes through the same checks, thresholds, alerts and audit as the
form; the patient sees it, names the app in "Who viewed my record", and can
disconnect the app."""

import pytest
from django.test import Client
from django.utils import timezone
from fhir.resources.R4B.observation import Observation
from fhirpy import SyncFHIRClient
from fhirpy.base.exceptions import OperationOutcome as FhirpyOutcome

from tests.visits.fhir_checks import check_bundle_schema_only
from tests.visits.smart_helpers import register_app, token_for
from visits.models import Alert, AuditEvent, Reading
from visits.services.apps import connected_apps
from visits.services.sharing import start_care_relationship

WRITE = "launch/patient patient/Observation.rs patient/Observation.c"


def _blood_pressure(systolic: int, diastolic: int, *, identifier: str = "") -> dict:
    quantity = {"system": "http://unitsofmeasure.org", "code": "mm[Hg]"}
    body = {
        "resourceType": "Observation",
        "status": "final",
        "category": [
            {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/"
                        "observation-category",
                        "code": "vital-signs",
                    }
                ]
            }
        ],
        "code": {"coding": [{"system": "http://loinc.org", "code": "85354-9"}]},
        "effectiveDateTime": timezone.now().isoformat(),
        "device": {"display": "Omron M7"},
        "component": [
            {
                "code": {"coding": [{"system": "http://loinc.org", "code": "8480-6"}]},
                "valueQuantity": {"value": systolic, "unit": "mm[Hg]", **quantity},
            },
            {
                "code": {"coding": [{"system": "http://loinc.org", "code": "8462-4"}]},
                "valueQuantity": {"value": diastolic, "unit": "mm[Hg]", **quantity},
            },
        ],
    }
    if identifier:
        body["identifier"] = [{"system": "urn:bp-diary", "value": identifier}]
    return body


@pytest.mark.django_db(transaction=True)
def test_fhirpy_posts_a_reading_the_patient_sees_and_the_clinician_is_alerted(
    live_server, settings, patient, clinician
):
    settings.BASE_URL = live_server.url
    start_care_relationship(clinician=clinician, patient=patient)
    token = token_for(patient, register_app("BP Diary"), WRITE)
    fhir = SyncFHIRClient(f"{live_server.url}/fhir/r4", authorization=f"Bearer {token}")

    posted = fhir.resource("Observation", **_blood_pressure(158, 96))
    posted.save()
    assert posted["id"]
    Observation.model_validate(posted.serialize())

    reading = Reading.objects.get(uuid=posted["id"])
    assert (reading.systolic, reading.diastolic, reading.source) == (158, 96, "app")
    assert reading.sent_by == "BP Diary (Omron M7)"
    found = fhir.resources("Observation").search(code="85354-9").fetch()
    assert [item["id"] for item in found] == [posted["id"]]

    own = Client()
    own.force_login(patient)
    assert "158/96 mm Hg" in own.get("/visits/readings/").content.decode()
    log = own.get("/visits/access-log/").content.decode()
    assert "BP Diary, an app you connected" in log

    care = Client()
    care.force_login(clinician)
    alerts = care.get("/visits/alerts/").content.decode()
    assert "Systolic 158 mm Hg is above the threshold of 140 mm Hg." in alerts
    assert Alert.objects.filter(reading=reading).count() == 1

    with pytest.raises(FhirpyOutcome) as refused:
        fhir.resource("Observation", **_blood_pressure(400, 96)).save()
    assert "between 60 and 260" in str(refused.value)
    assert Reading.objects.count() == 1


@pytest.mark.django_db
def test_the_same_identifier_is_stored_once(patient):
    token = token_for(patient, register_app(), WRITE)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    body = _blood_pressure(150, 95, identifier="m-42")
    first = client.post(
        "/fhir/r4/Observation", body, content_type="application/fhir+json"
    )
    again = client.post(
        "/fhir/r4/Observation", body, content_type="application/fhir+json"
    )
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    check_bundle_schema_only(first.json())
    assert Reading.objects.filter(patient=patient).count() == 1
    assert Alert.objects.filter(patient=patient).count() == 1


@pytest.mark.django_db
def test_bad_posts_are_4xx_operation_outcomes_and_save_nothing(patient, other_patient):
    token = token_for(patient, register_app(), WRITE)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")

    def post(body, content_type="application/fhir+json"):
        return client.post("/fhir/r4/Observation", body, content_type=content_type)

    cases = [
        (post("{not json", "application/fhir+json"), 400),
        (post({"resourceType": "Patient"}), 400),
        (post({**_blood_pressure(150, 95), "status": "nonsense"}), 400),
        (post({**_blood_pressure(150, 95), "effectiveDateTime": "2026-01-01"}), 400),
        (post({**_blood_pressure(90, 120)}), 422),
        (
            post(
                {
                    **_blood_pressure(150, 95),
                    "subject": {"reference": f"Patient/{other_patient.uuid}"},
                }
            ),
            403,
        ),  # fmt: skip
    ]
    for response, status in cases:
        assert response.status_code == status, response.content[:300]
        assert response.json()["resourceType"] == "OperationOutcome"
    assert Reading.objects.count() == 0
    read_only = token_for(patient, register_app("Reader"), "patient/Observation.rs")
    refused = Client(HTTP_AUTHORIZATION=f"Bearer {read_only}").post(
        "/fhir/r4/Observation",
        _blood_pressure(150, 95),
        content_type="application/json",
    )
    assert refused.status_code == 403


@pytest.mark.django_db
def test_connected_apps_page_lists_and_disconnects(patient, other_patient):
    app = register_app("BP Diary")
    token = token_for(patient, app, WRITE)
    token_for(other_patient, app, WRITE)
    client = Client()
    client.force_login(patient)
    page = client.get("/visits/apps/").content.decode()
    assert "BP Diary" in page
    assert "Send new home readings to your record." in page
    assert "It has not used your record yet." in page
    Client(HTTP_AUTHORIZATION=f"Bearer {token}").get("/fhir/r4/Observation")
    assert "Last used your record:" in client.get("/visits/apps/").content.decode()

    response = client.post(
        "/visits/apps/disconnect/", {"app": app.client_id}, follow=True
    )
    assert "The app was disconnected." in response.content.decode()
    assert "No apps are connected to your record." in response.content.decode()
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}").get("/fhir/r4/Observation")
    assert api.status_code == 401
    # The other patient's connection to the same app is untouched.
    assert [a.name for a in connected_apps(patient=other_patient)] == ["BP Diary"]
    assert AuditEvent.objects.filter(via_app="BP Diary", actor=patient).count() == 1
