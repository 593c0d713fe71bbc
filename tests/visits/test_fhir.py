import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.visits.fhir_checks import check_bundle, check_bundle_schema_only
from visits.models import AuditEvent

pytestmark = pytest.mark.django_db


def _export(patient) -> dict:
    out = StringIO()
    call_command("export_fhir", str(patient.uuid), stdout=out)
    return json.loads(out.getvalue())


def _by_type(data):
    found = {}
    for entry in data["entry"]:
        found.setdefault(entry["resource"]["resourceType"], []).append(
            entry["resource"]
        )
    return found


def test_demo_patient_export_passes_all_three_validations(demo_world):
    data = _export(demo_world["patient"])
    check_bundle(data)
    kinds = _by_type(data)
    assert set(kinds) >= {
        "Patient", "Practitioner", "Appointment", "Encounter", "Observation",
        "Consent", "DocumentReference", "ServiceRequest", "MedicationRequest",
    }  # fmt: skip
    assert {e["class"]["code"] for e in kinds["Encounter"]} == {"VR"}
    panels = [
        o for o in kinds["Observation"] if o["code"]["coding"][0]["code"] == "85354-9"
    ]
    assert panels
    for panel in panels:
        codes = [c["code"]["coding"][0]["code"] for c in panel["component"]]
        assert codes == ["8480-6", "8462-4"]
        assert {c["valueQuantity"]["code"] for c in panel["component"]} == {"mm[Hg]"}
    rates = [
        o for o in kinds["Observation"] if o["code"]["coding"][0]["code"] == "8867-4"
    ]
    assert rates and {o["valueQuantity"]["code"] for o in rates} == {"/min"}
    assert AuditEvent.objects.filter(
        action="export", patient=demo_world["patient"]
    ).exists()


def test_export_holds_only_this_patients_data(demo_world):
    data = _export(demo_world["patient2"])
    check_bundle(data)
    patients = _by_type(data)["Patient"]
    assert [p["id"] for p in patients] == [str(demo_world["patient2"].uuid)]
    assert str(demo_world["patient"].uuid) not in json.dumps(data)


def test_the_checks_catch_a_broken_bundle(demo_world):
    data = _export(demo_world["patient"])
    observation = next(
        e["resource"]
        for e in data["entry"]
        if e["resource"]["resourceType"] == "Observation"
    )
    observation["status"] = "guessed"
    with pytest.raises(AssertionError):
        check_bundle_schema_only(data)
    data = _export(demo_world["patient"])
    data["entry"] = [
        e for e in data["entry"] if e["resource"]["resourceType"] != "Patient"
    ]
    with pytest.raises(AssertionError):
        check_bundle(data)


def test_export_refuses_a_bad_uuid(db):
    with pytest.raises(CommandError, match="not a UUID"):
        call_command("export_fhir", "12")


def test_fhir_endpoint_serves_the_patient_and_refuses_others(demo_world, client):
    patient = demo_world["patient"]
    client.force_login(patient)
    response = client.get(f"/visits/patients/{patient.uuid}/fhir/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json"
    check_bundle(response.json())
    other = demo_world["patient2"]
    assert client.get(f"/visits/patients/{other.uuid}/fhir/").status_code == 404
    assert AuditEvent.objects.filter(
        actor=patient, patient=other, action="denied"
    ).exists()
