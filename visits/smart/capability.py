"""The CapabilityStatement at /fhir/r4/metadata: exactly what the API implements,
with the SMART security extension that points apps at the authorization server."""

from django.utils import timezone

SMART_OAUTH_URIS = (
    "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris"
)

# type -> (interactions, search parameters as (name, FHIR search type))
IMPLEMENTED = {
    "Patient": (["read", "search-type"], [("_id", "token")]),
    "Practitioner": (["read", "search-type"], [("_id", "token")]),
    "Encounter": (
        ["read", "search-type"],
        [("_id", "token"), ("patient", "reference")],
    ),
    "Appointment": (
        ["read", "search-type", "create"],
        [("_id", "token"), ("patient", "reference")],
    ),
    "Observation": (
        ["read", "search-type", "create"],
        [
            ("_id", "token"),
            ("patient", "reference"),
            ("subject", "reference"),
            ("category", "token"),
            ("code", "token"),
            ("date", "date"),
        ],
    ),
    "MedicationRequest": (
        ["read", "search-type"],
        [("_id", "token"), ("patient", "reference")],
    ),
    "DocumentReference": (
        ["read", "search-type"],
        [("_id", "token"), ("patient", "reference")],
    ),
    "Consent": (["read", "search-type"], [("_id", "token"), ("patient", "reference")]),
    "ServiceRequest": (
        ["read", "search-type"],
        [("_id", "token"), ("patient", "reference")],
    ),
    "Slot": (["search-type"], [("service-type", "token"), ("start", "date")]),
}


def capability_statement(base: str) -> dict:
    oauth = base.removesuffix("/fhir/r4") + "/oauth"
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": timezone.now().date().isoformat(),
        "publisher": "TeleCampus",
        "kind": "instance",
        "software": {"name": "TeleCampus"},
        "implementation": {"description": "TeleCampus patient API", "url": base},
        "fhirVersion": "4.0.1",
        "format": ["application/fhir+json", "json"],
        "rest": [
            {
                "mode": "server",
                "security": {
                    "cors": False,
                    "service": [
                        {
                            "coding": [
                                {
                                    "system": "http://terminology.hl7.org/CodeSystem/"
                                    "restful-security-service",
                                    "code": "SMART-on-FHIR",
                                }
                            ]
                        }
                    ],
                    "extension": [
                        {
                            "url": SMART_OAUTH_URIS,
                            "extension": [
                                {"url": "authorize", "valueUri": f"{oauth}/authorize/"},
                                {"url": "token", "valueUri": f"{oauth}/token/"},
                                {"url": "revoke", "valueUri": f"{oauth}/revoke_token/"},
                            ],
                        }
                    ],
                },
                "resource": [
                    {
                        "type": kind,
                        "interaction": [{"code": code} for code in interactions],
                        **(
                            {"searchParam": [{"name": n, "type": t} for n, t in params]}
                            if params
                            else {}
                        ),
                    }
                    for kind, (interactions, params) in IMPLEMENTED.items()
                ],
            }
        ],
    }
