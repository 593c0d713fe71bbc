"""Three independent checks of a FHIR Bundle: R4B models, R4 schema, references."""

import gzip
import json
from functools import cache
from pathlib import Path

import jsonschema
from fhir.resources.R4B.bundle import Bundle

SCHEMA_PATH = Path(__file__).parent / "data" / "fhir.schema.json.gz"


@cache
def r4_validator():
    with gzip.open(SCHEMA_PATH, "rt") as handle:
        schema = json.load(handle)
    return jsonschema.Draft6Validator(schema)


def references(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "reference" and isinstance(value, str):
                yield value
            else:
                yield from references(value)
    elif isinstance(node, list):
        for item in node:
            yield from references(item)


def check_bundle_schema_only(data: dict) -> None:
    errors = sorted(r4_validator().iter_errors(data), key=lambda e: list(e.path))
    assert errors == [], [f"{list(e.path)}: {e.message[:200]}" for e in errors[:5]]


def check_bundle(data: dict) -> Bundle:
    bundle = Bundle.model_validate(data)
    check_bundle_schema_only(data)
    full_urls = {entry["fullUrl"] for entry in data["entry"]}
    assert len(full_urls) == len(data["entry"])
    dangling = set(references(data)) - full_urls
    assert dangling == set()
    return bundle
