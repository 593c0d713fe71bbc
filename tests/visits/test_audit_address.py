"""The PHI audit trail and the consent record the client's address, not the TLS
proxy's: behind the proxy every REMOTE_ADDR is the proxy's own."""

import pytest

from tests.visits.factories import booked_visit
from visits.models import AuditEvent, ConsentAcceptance

pytestmark = pytest.mark.django_db

BEHIND_PROXY = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.9"}


@pytest.fixture
def one_trusted_proxy(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1


def test_a_read_of_a_visit_records_the_forwarded_address(
    client, patient, clinician, one_trusted_proxy
):
    visit = booked_visit(patient, clinician)
    client.force_login(clinician)
    assert client.get(f"/visits/{visit.uuid}/", **BEHIND_PROXY).status_code == 200
    addresses = set(
        AuditEvent.objects.filter(actor=clinician).values_list("ip_address", flat=True)
    )
    assert addresses == {"198.51.100.9"}


def test_a_refused_look_records_the_forwarded_address(
    client, patient, other_patient, clinician, one_trusted_proxy
):
    visit = booked_visit(patient, clinician)
    client.force_login(other_patient)
    assert client.get(f"/visits/{visit.uuid}/", **BEHIND_PROXY).status_code == 404
    denied = AuditEvent.objects.get(actor=other_patient, action="denied")
    assert denied.ip_address == "198.51.100.9"


def test_a_listing_records_the_forwarded_address(
    client, patient, clinician, one_trusted_proxy
):
    booked_visit(patient, clinician)
    client.force_login(patient)
    assert client.get("/visits/", **BEHIND_PROXY).status_code == 200
    listed = AuditEvent.objects.filter(actor=patient, what="visit_list")
    assert set(listed.values_list("ip_address", flat=True)) == {"198.51.100.9"}


def test_the_consent_records_the_forwarded_address(
    client, patient, clinician, one_trusted_proxy
):
    visit = booked_visit(patient, clinician)
    client.force_login(patient)
    response = client.post(
        f"/visits/{visit.uuid}/consent/", {"agree": "on"}, **BEHIND_PROXY
    )
    assert response.status_code == 302
    assert ConsentAcceptance.objects.get(visit=visit).ip_address == "198.51.100.9"
