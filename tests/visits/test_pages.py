"""Page hygiene under the CSP: no inline scripts, styles or event handlers."""

import re

import pytest

from tests.visits.factories import choose_visit_type
from visits.models import Visit

INLINE = [
    re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
    re.compile(r"\sstyle=", re.I),
    re.compile(r"\son[a-z]+=", re.I),
]


@pytest.mark.parametrize("persona", ["patient", "clinician"])
def test_visit_pages_have_no_inline_script_or_style(persona, demo_world, client):
    patient = demo_world["patient"]
    past = Visit.objects.get(patient=patient, status=Visit.Status.COMPLETED)
    booked = Visit.objects.get(patient=patient, status=Visit.Status.BOOKED)
    client.force_login(demo_world[persona])
    choose_visit_type(client, "mental-health")
    paths = [
        "/visits/",
        "/visits/book/",
        f"/visits/{booked.uuid}/",
        f"/visits/{booked.uuid}/device-check/",
        f"/visits/{past.uuid}/summary/",
        f"/visits/{past.uuid}/messages/",
        "/visits/readings/",
        "/visits/refills/",
    ]
    if persona == "patient":
        paths += [
            f"/visits/{booked.uuid}/intake/",
            f"/visits/{booked.uuid}/consent/",
            f"/visits/{booked.uuid}/waiting-room/",
        ]
    else:
        paths += [f"/visits/patients/{patient.uuid}/", f"/visits/{past.uuid}/note/"]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        for pattern in INLINE:
            assert not pattern.search(html), f"{path}: {pattern.pattern}"
