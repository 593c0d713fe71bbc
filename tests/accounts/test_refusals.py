"""The one refusal base (accounts.refusals); every app's refusals derive from it."""

import ast
import importlib
import json
from pathlib import Path

import pytest

from accounts.services import BodyRefused, Refusal, refusal_json, request_json
from courses.services import CourseRuleError
from meetings.services import JoinRefused

ROOT = Path(__file__).resolve().parents[2]
APPS = ["accounts", "notifications", "meetings", "courses", "certificates", "visits"]
APPS += ["cms", "ops", "config"]

# Exceptions in product code that are not refusals of a person's request, and why;
# by class name, so that moving a module does not break the list.
NOT_REFUSALS = {
    # Leaving the process on bad settings, at start-up; no request to answer.
    "ConfigError",
    # A guard against code changing audit rows; no person can trigger it.
    "AppendOnlyError",
    # Raised inside WeasyPrint's URL fetcher and logged; the layout fails whole.
    "FetchRefused",
    "AssetRefused",
    # The certificate's text does not fit its box; issuing turns it into a
    # refusal with a sentence (IssuingRefused, Fix.TEMPLATE).
    "PageOverflow",
    # The compositor failed on one certificate; issuing lays it out whole instead
    # and the run names it (docs/decisions/0026). Nobody is refused.
    "CompositionFailed",
    # A malformed Jitsi event-sync body; the webhook answers "malformed event".
    "BadEvent",
}


def _exception_classes():
    """Every class in product code whose bases name an exception, by dotted name."""
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in tree.body:
                if not isinstance(node, ast.ClassDef):
                    continue
                bases = [ast.unparse(base) for base in node.bases]
                if any(
                    base.endswith(("Error", "Exception", "Refused", "Refusal"))
                    or base in {"Exception", "ValueError", "SystemExit"}
                    for base in bases
                ):
                    module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
                    yield module.removesuffix(".__init__"), node.name


def test_every_refusal_in_product_code_derives_from_the_base():
    found = list(_exception_classes())
    # The walk finds the refusals it is meant to check.
    names = {name for _module, name in found}
    assert {"VisitsError", "CourseRuleError", "JoinRefused", "ScimError"} <= names
    not_refusals = []
    for module, name in found:
        cls = getattr(importlib.import_module(module), name)
        if not issubclass(cls, BaseException):
            continue
        if name in NOT_REFUSALS:
            assert not issubclass(cls, Refusal), f"{module}.{name} is a Refusal now"
            continue
        if not issubclass(cls, Refusal):
            not_refusals.append(f"{module}.{name}")
    assert not_refusals == []


def test_a_refusal_carries_code_message_and_status():
    class TooLate(Refusal):
        code = "too_late"
        status = 409

    refusal = TooLate("The sign-up closed yesterday.")
    assert (refusal.code, refusal.status) == ("too_late", 409)
    assert str(refusal) == refusal.message == "The sign-up closed yesterday."
    # Per refusal, the code and status can differ from the class's.
    other = TooLate("Full.", code="full", status=400)
    assert (other.code, other.status) == ("full", 400)
    assert (TooLate.code, TooLate.status) == ("too_late", 409)
    assert (Refusal("No.").code, Refusal("No.").status) == ("refused", 400)


def test_existing_refusals_keep_their_own_signatures_and_catches():
    rule = CourseRuleError("already_evaluated", "Done already.", status=409)
    assert (rule.code, rule.message, rule.status) == (
        "already_evaluated",
        "Done already.",
        409,
    )
    join = JoinRefused("Not yet.")
    assert join.reason == join.message == "Not yet."
    # Refusals that were ValueErrors still are, so older `except ValueError` holds.
    assert issubclass(BodyRefused, ValueError)


def test_refusal_json_answers_the_message_and_status(rf):
    request = rf.post("/", data=b"{", content_type="application/json")
    with pytest.raises(BodyRefused) as caught:
        request_json(request, max_bytes=1000)
    response = refusal_json(caught.value)
    assert response.status_code == 400
    assert json.loads(response.content) == {"error": caught.value.message}
    assert "not valid JSON" in caught.value.message
    assert refusal_json(Refusal("Gone.", status=410)).status_code == 410
