"""FHIR R4 REST API for patients' apps, at /fhir/r4/.

Every request carries a bearer token from visits.smart's authorization server. The
token's patient is the only patient: any other id answers 404. The token's SMART
scopes decide what the app may read, search and create (403 otherwise). Every read,
search and write lands in the PHI audit log with the app's name.
"""

import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import wraps
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from oauth2_provider.oauth2_backends import get_oauthlib_core

from accounts.models import User
from accounts.services import Refusal
from visits import fhir
from visits.audit import record_event
from visits.errors import VisitsError
from visits.models import AuditEvent, VisitType
from visits.services.booking import book_visit
from visits.services.monitoring import ReadingRefused, record_reading_from_app
from visits.services.slots import free_slots
from visits.smart import resources
from visits.smart.capability import capability_statement
from visits.smart.incoming import (
    IncomingRefused,
    booking_from,
    reading_from,
    slot_id,
)
from visits.smart.oauth_views import fhir_base
from visits.smart.scopes import READABLE_TYPES, allows
from visits.smart.search import (
    SearchRefused,
    check_known,
    date_bounds,
    date_filter,
    paging,
    token_codes,
)

FHIR_JSON = "application/fhir+json"
SEARCH_PARAMS = {
    "Observation": ("_id", "patient", "subject", "category", "code", "date", "_sort"),
    "Slot": ("service-type", "start"),
    "Patient": ("_id",),
    "Practitioner": ("_id",),
}
COMPARTMENT_SEARCH = ("_id", "patient")
# How far ahead one Slot search may look, and how far by default.
SLOT_SEARCH_MAX_DAYS = 31
SLOT_SEARCH_DEFAULT_DAYS = 7


class ApiRefused(Refusal):
    """`code` is a FHIR OperationOutcome issue code."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message, code=code, status=status)


def fhir_response(data: dict, status: int = 200, **headers: str) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data), status=status, content_type=f"{FHIR_JSON}; charset=utf-8"
    )
    response["Cache-Control"] = "no-store"
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def operation_outcome(status: int, code: str, message: str) -> HttpResponse:
    response = fhir_response(
        {
            "resourceType": "OperationOutcome",
            "issue": [{"severity": "error", "code": code, "diagnostics": message}],
        },
        status,
    )
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="fhir", error="invalid_token"'
    return response


@dataclass(frozen=True)
class Caller:
    request: HttpRequest
    patient: User
    app_name: str
    scope: str

    def require(self, kind: str, permission: str) -> None:
        if not allows(self.scope, kind, permission):
            words = {"r": "read", "s": "search", "c": "create"}[permission]
            raise ApiRefused(
                403,
                "forbidden",
                f"This app was not given permission to {words} {kind} "
                f"(scope patient/{kind}.{permission}).",
            )

    def audit(self, action: str, kind: str, *, object_id=None, patient=True):
        try:
            object_uuid = uuid.UUID(str(object_id)) if object_id else None
        except ValueError:
            object_uuid = None
        record_event(
            actor=self.patient,
            action=action,
            what=f"fhir_{kind.lower()}",
            patient=self.patient if patient else None,
            object_uuid=object_uuid,
            request=self.request,
            via_app=self.app_name,
        )


def _caller(request: HttpRequest) -> Caller:
    valid, oauth_request = get_oauthlib_core().verify_request(request, scopes=[])
    token = getattr(oauth_request, "access_token", None) if valid else None
    if token is None or not token.user.is_active:
        raise ApiRefused(
            401,
            "login",
            "The access token is missing, expired or revoked. Please connect the "
            "app again.",
        )
    return Caller(request, token.user, token.application.name, token.scope)


def fhir_view(view):
    """Bearer authentication, scope refusals and errors as OperationOutcome."""

    @csrf_exempt
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            caller = _caller(request)
            return view(request, caller, *args, **kwargs)
        except ApiRefused as exc:
            return operation_outcome(exc.status, exc.code, exc.message)
        except (SearchRefused, ReadingRefused) as exc:
            status = 422 if isinstance(exc, ReadingRefused) else 400
            return operation_outcome(status, "invalid", exc.message)
        except IncomingRefused as exc:
            code = "forbidden" if exc.status == 403 else "invalid"
            return operation_outcome(exc.status, code, exc.message)
        except VisitsError as exc:
            return operation_outcome(409, "conflict", exc.message)

    return wrapper


def _searchset(request, kind: str, entries: list[dict], total: int, page) -> dict:
    base = fhir_base(request)
    params = [(n, v) for n, v in page.used if n not in ("_count", "_offset")]

    def link(relation: str, offset: int) -> dict:
        query = urlencode([*params, ("_count", page.count), ("_offset", offset)])
        return {"relation": relation, "url": f"{base}/{kind}?{query}"}

    links = [link("self", page.offset)]
    if page.offset + page.count < total:
        links.append(link("next", page.offset + page.count))
    if page.offset > 0:
        links.append(link("previous", max(page.offset - page.count, 0)))
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "timestamp": timezone.now().isoformat(),
        "total": total,
        "link": links,
        "entry": [
            {
                "fullUrl": f"{base}/{entry['resourceType']}/{entry['id']}",
                "resource": entry,
                "search": {"mode": "match"},
            }
            for entry in entries
        ],
    }


def metadata(request):
    return fhir_response(capability_statement(fhir_base(request)))


def _not_found(caller: Caller, kind: str, resource_id: str) -> ApiRefused:
    caller.audit(AuditEvent.Action.DENIED, kind, object_id=resource_id, patient=False)
    return ApiRefused(404, "not-found", f"{kind}/{resource_id} was not found.")


@fhir_view
def read(request, caller: Caller, kind: str, resource_id: str):
    if request.method != "GET":
        raise ApiRefused(405, "not-supported", f"{request.method} is not supported.")
    if kind not in READABLE_TYPES or kind == "Slot":
        raise ApiRefused(404, "not-supported", f"{kind} is not served here.")
    caller.require(kind, "r")
    if kind == "Observation":
        reading = resources.readings_of(caller.patient).filter(
            uuid=_uuid_or_none(resource_id)
        )
        found = [resources.observation(r) for r in reading]
    else:
        found = [
            item
            for item in resources.collection(kind, caller.patient)
            if item["id"] == resource_id
        ]
    if not found:
        raise _not_found(caller, kind, resource_id)
    caller.audit(AuditEvent.Action.READ, kind, object_id=resource_id)
    return fhir_response(found[0])


def _uuid_or_none(value: str):
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


@fhir_view
def type_endpoint(request, caller: Caller, kind: str):
    if request.method == "POST":
        if kind == "Observation":
            return _create_observation(request, caller)
        if kind == "Appointment":
            return _create_appointment(request, caller)
        raise ApiRefused(405, "not-supported", f"{kind} cannot be created here.")
    if request.method != "GET":
        raise ApiRefused(405, "not-supported", f"{request.method} is not supported.")
    if kind not in READABLE_TYPES:
        raise ApiRefused(404, "not-supported", f"{kind} is not served here.")
    caller.require(kind, "s")
    if kind == "Observation":
        return _search_observations(request, caller)
    if kind == "Slot":
        return _search_slots(request, caller)
    used = check_known(request.GET, SEARCH_PARAMS.get(kind, COMPARTMENT_SEARCH))
    page = paging(request.GET)
    page.used = used
    items = resources.collection(kind, caller.patient)
    for name, value in used:
        if name == "_id":
            items = [item for item in items if item["id"] in value.split(",")]
        if name == "patient" and value.removeprefix("Patient/") != str(
            caller.patient.uuid
        ):
            items = []
    caller.audit(AuditEvent.Action.READ, kind)
    shown = items[page.offset : page.offset + page.count]
    return fhir_response(_searchset(request, kind, shown, len(items), page))


def _search_observations(request, caller: Caller):
    used = check_known(request.GET, SEARCH_PARAMS["Observation"])
    page = paging(request.GET)
    page.used = used
    readings = resources.readings_of(caller.patient)
    order = ("-measured_at", "-pk")
    for name, value in used:
        if name == "_id":
            ids = [_uuid_or_none(part) for part in value.split(",")]
            readings = readings.filter(uuid__in=[i for i in ids if i])
        elif name in ("patient", "subject"):
            if value.removeprefix("Patient/") != str(caller.patient.uuid):
                readings = readings.none()
        elif name == "category":
            wanted = {code for _system, code in token_codes(value)}
            if "vital-signs" not in wanted:
                readings = readings.none()
        elif name == "code":
            kinds = [
                resources.LOINC_TO_KIND[code]
                for system, code in token_codes(value)
                if code in resources.LOINC_TO_KIND and system in (None, fhir.LOINC)
            ]
            readings = readings.filter(kind__in=kinds)
        elif name == "date":
            readings = readings.filter(
                date_filter("measured_at", value, caller.patient.time_zone)
            )
        elif name == "_sort":
            if value not in ("date", "-date"):
                raise SearchRefused("_sort must be date or -date.")
            order = (
                ("measured_at", "pk") if value == "date" else ("-measured_at", "-pk")
            )
    total = readings.count()
    shown = readings.order_by(*order)[page.offset : page.offset + page.count]
    entries = [resources.observation(reading) for reading in shown]
    caller.audit(AuditEvent.Action.READ, "Observation")
    return fhir_response(_searchset(request, "Observation", entries, total, page))


def _create_observation(request, caller: Caller):
    caller.require("Observation", "c")
    incoming = reading_from(request.body, caller.patient)
    reading, created = record_reading_from_app(
        patient=caller.patient,
        data=incoming.data,
        app_name=caller.app_name,
        device=incoming.device,
        identifier=incoming.identifier,
    )
    caller.audit(AuditEvent.Action.WRITE, "Observation", object_id=reading.uuid)
    location = f"{fhir_base(request)}/Observation/{reading.uuid}"
    return fhir_response(
        resources.observation(reading), 201 if created else 200, Location=location
    )


def _create_appointment(request, caller: Caller):
    caller.require("Appointment", "c")
    incoming = booking_from(request.body, caller.patient)
    visit = book_visit(
        patient=caller.patient,
        clinician=incoming.slot.clinician,
        visit_type=incoming.slot.visit_type,
        start=incoming.slot.start,
        reason=incoming.reason,
    )
    caller.audit(AuditEvent.Action.WRITE, "Appointment", object_id=visit.uuid)
    visit = (
        type(visit)
        .objects.select_related("patient", "clinician", "visit_type")
        .get(pk=visit.pk)
    )
    location = f"{fhir_base(request)}/Appointment/{visit.uuid}"
    return fhir_response(resources.appointment(visit), 201, Location=location)


def _slot_range(values: list[str], zone: str) -> tuple[datetime, datetime]:
    now = timezone.now()
    start, end = now, now + timedelta(days=SLOT_SEARCH_DEFAULT_DAYS)
    for value in values:
        prefix, rest = value[:2], value[2:]
        if prefix not in ("ge", "gt", "lt", "le"):
            raise SearchRefused("start needs a prefix: ge, gt, lt or le.")
        low, high = date_bounds(rest, zone)
        if prefix in ("ge", "gt"):
            start = max(now, low if prefix == "ge" else high)
        else:
            end = low if prefix == "lt" else high
    if end - start > timedelta(days=SLOT_SEARCH_MAX_DAYS):
        raise SearchRefused(
            f"A Slot search covers at most {SLOT_SEARCH_MAX_DAYS} days."
        )
    return start, end


def _search_slots(request, caller: Caller):
    used = check_known(request.GET, SEARCH_PARAMS["Slot"])
    page = paging(request.GET)
    page.used = used
    codes = [value for name, value in used if name == "service-type"]
    if len(codes) != 1:
        raise SearchRefused("Give one service-type: the code of a kind of visit.")
    code = codes[0].rpartition("|")[2]
    visit_type = VisitType.objects.filter(is_active=True, code=code).first()
    if visit_type is None:
        raise SearchRefused(f"There is no kind of visit with the code {code!r}.")
    zone = caller.patient.time_zone
    start, end = _slot_range([v for n, v in used if n == "start"], zone)
    days = (end - start).days + 2
    slots = [
        slot
        for slot in free_slots(
            visit_type=visit_type, start_date=start.date(), days=days
        )
        if start <= slot.start < end
    ]
    entries = [
        {
            "resourceType": "Slot",
            "id": slot_id(slot.clinician_uuid, visit_type, slot.start),
            "serviceType": [
                {
                    "coding": [{"system": VISIT_TYPE_SYSTEM, "code": visit_type.code}],
                    "text": visit_type.name,
                }
            ],
            "schedule": {"display": slot.clinician_name},
            "status": "free",
            "start": slot.start.isoformat(),
            "end": slot.end.isoformat(),
        }
        for slot in slots[page.offset : page.offset + page.count]
    ]
    caller.audit(AuditEvent.Action.READ, "Slot", patient=False)
    return fhir_response(_searchset(request, "Slot", entries, len(slots), page))


VISIT_TYPE_SYSTEM = "urn:telecampus:visit-type"
