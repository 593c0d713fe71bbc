"""FHIR Observation search against the readings page, same data, same run.

A patient with 1,000 home readings; an app searches `Observation?_count=50` (newest
first) with a bearer token, and the patient opens their readings page. Both go
through Django's full request stack in-process (test client), so the ratio is the
API's cost per page of 50 against the page people use. The script also counts the
search's queries at _count=10, 50 and 200: they must be the same (it exits non-zero
otherwise).

Prints `RATIO visits_fhir_search_50_vs_readings_page: <api / page>` (median times).
"""

import os
import shutil
import statistics
import sys
import time
from datetime import timedelta

from in_process import start_django

TMP = start_django("bench-fhir-")

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from oauth2_provider.models import (  # noqa: E402
    get_access_token_model,
    get_application_model,
)

from accounts.roles import Role  # noqa: E402
from accounts.services import create_user  # noqa: E402
from visits.models import Reading  # noqa: E402

QUICK = os.environ.get("BENCH_QUICK") == "1"
READINGS = 100 if QUICK else 1_000
RUNS = 3 if QUICK else 30


def setup():
    call_command("migrate", verbosity=0)
    patient = create_user(
        username="bench_patient",
        email="bench_patient@bench.example",
        password=None,
        full_name="Bench Patient",
        roles=[Role.PATIENT],
        email_verified=True,
        time_zone="America/Chicago",
    )
    now = timezone.now()
    Reading.objects.bulk_create(
        Reading(
            patient=patient,
            kind="bp" if index % 2 else "hr",
            systolic=120 + index % 30 if index % 2 else None,
            diastolic=80 if index % 2 else None,
            heart_rate=None if index % 2 else 60 + index % 40,
            measured_at=now - timedelta(hours=index),
            source="manual",
        )
        for index in range(READINGS)
    )
    Application = get_application_model()
    app = Application.objects.create(
        name="Bench app",
        client_type=Application.CLIENT_PUBLIC,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris="http://127.0.0.1/callback",
    )
    get_access_token_model().objects.create(
        user=patient,
        application=app,
        token="bench-token",  # noqa: S106 - a scratch database, thrown away
        scope="launch/patient patient/Observation.rs",
        expires=now + timedelta(hours=1),
    )
    return patient


def median_seconds(call) -> float:
    call()  # warm up
    samples = []
    for _ in range(RUNS):
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def main() -> int:
    patient = setup()
    api = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION="Bearer bench-token")
    page = Client(HTTP_HOST="127.0.0.1")
    page.force_login(patient)

    def search(count: int = 50):
        response = api.get("/fhir/r4/Observation", {"_count": count, "_sort": "-date"})
        assert response.status_code == 200, response.content[:200]
        assert len(response.json()["entry"]) == min(count, READINGS)

    def readings_page():
        response = page.get("/visits/readings/")
        assert response.status_code == 200

    queries = {}
    for count in (10, 50, 200):
        with CaptureQueriesContext(connection) as captured:
            search(count)
        queries[count] = len(captured)
    api_seconds = median_seconds(search)
    page_seconds = median_seconds(readings_page)
    print(
        f"readings={READINGS} search _count=50 median {api_seconds * 1000:.1f} ms; "
        f"readings page median {page_seconds * 1000:.1f} ms; "
        f"queries by _count {queries}"
    )
    ratio = api_seconds / page_seconds
    print(f"RATIO visits_fhir_search_50_vs_readings_page: {ratio:.2f}")
    if len(set(queries.values())) != 1:
        print("query count grows with the page size", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    finally:
        shutil.rmtree(TMP, ignore_errors=True)
