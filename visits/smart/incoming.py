"""Resources apps send (Observation, Appointment), turned into service arguments.

The body is parsed with accounts.untrusted_input (bounded size and depth) and
checked with the fhir.resources models before we read any field from it.
"""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.utils.dateparse import parse_datetime
from fhir.resources.R4B.appointment import Appointment
from fhir.resources.R4B.observation import Observation
from pydantic import ValidationError

from accounts.models import User
from accounts.services import BodyRefused, Refusal, parse_json
from visits.models import ClinicianProfile, Reading, VisitType
from visits.services.monitoring import ReadingInput

BP_UNITS = {"mm[Hg]"}
HR_UNITS = {"/min"}
RECORDED_STATUSES = {"final", "amended", "corrected", "preliminary"}


class IncomingRefused(Refusal, ValueError):
    code = "invalid"

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message, status=status)


def _body(raw: bytes, resource_type: str) -> dict:
    try:
        data = parse_json(raw, max_bytes=settings.SMART_MAX_BODY_BYTES)
    except BodyRefused as exc:
        raise IncomingRefused(exc.message) from None
    if not isinstance(data, dict) or data.get("resourceType") != resource_type:
        raise IncomingRefused(f"The body must be one FHIR {resource_type} resource.")
    return data


def _validated(model, data: dict):
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise IncomingRefused(
            f"The {data['resourceType']} is not valid FHIR R4: {where}: {first['msg']}"
        ) from None


def _loinc(concept) -> set[str]:
    return {
        coding.code
        for coding in (concept.coding or [])
        if coding.system == "http://loinc.org" and coding.code
    }


def _quantity(component_or_observation, units: set[str], label: str):
    quantity = component_or_observation.valueQuantity
    if quantity is None or quantity.value is None:
        raise IncomingRefused(f"{label} needs a valueQuantity.")
    unit = quantity.code or quantity.unit
    if unit not in units:
        raise IncomingRefused(
            f"{label} must be in UCUM {' or '.join(sorted(units))}, not {unit!r}."
        )
    return float(quantity.value)


@dataclass(frozen=True)
class IncomingReading:
    data: ReadingInput
    identifier: str
    device: str


def reading_from(raw: bytes, patient: User) -> IncomingReading:
    data = _body(raw, "Observation")
    observation = _validated(Observation, data)
    # fhir.resources checks shapes, not value sets: the status is checked here.
    if observation.status not in RECORDED_STATUSES:
        raise IncomingRefused(
            "status must be final, amended, corrected or preliminary for a reading "
            f"to be stored, not {observation.status!r}."
        )
    subject = observation.subject.reference if observation.subject else None
    if subject not in (None, f"Patient/{patient.uuid}"):
        raise IncomingRefused("An app can only add readings to your own record.", 403)
    measured = data.get("effectiveDateTime")
    moment = parse_datetime(measured) if isinstance(measured, str) else None
    if moment is None or moment.tzinfo is None:
        raise IncomingRefused(
            "effectiveDateTime must be a date and time with its UTC offset."
        )
    codes = _loinc(observation.code)
    if "85354-9" in codes:
        parts = {}
        for component in observation.component or []:
            for code in _loinc(component.code) & {"8480-6", "8462-4"}:
                parts[code] = _quantity(component, BP_UNITS, f"Component {code}")
        if set(parts) != {"8480-6", "8462-4"}:
            raise IncomingRefused(
                "A blood pressure panel (85354-9) needs a systolic (8480-6) and a "
                "diastolic (8462-4) component."
            )
        reading = ReadingInput(
            Reading.Kind.BLOOD_PRESSURE, moment, parts["8480-6"], parts["8462-4"]
        )
    elif "8867-4" in codes:
        rate = _quantity(observation, HR_UNITS, "Heart rate (8867-4)")
        reading = ReadingInput(Reading.Kind.HEART_RATE, moment, heart_rate=rate)
    else:
        raise IncomingRefused(
            "Only blood pressure (LOINC 85354-9) and heart rate (LOINC 8867-4) "
            "readings can be sent."
        )
    identifier = ""
    if observation.identifier:
        first = observation.identifier[0]
        identifier = f"{first.system or ''}|{first.value or ''}"[:200]
    device = ""
    if observation.device is not None and observation.device.display:
        device = observation.device.display[:100]
    return IncomingReading(reading, identifier, device)


def slot_id(clinician_uuid: str, visit_type: VisitType, start: datetime) -> str:
    # 32 + 1 + 10 + 1 + 16 characters: inside FHIR's 64-character id limit.
    return (
        f"{uuid.UUID(str(clinician_uuid)).hex}.{int(start.timestamp())}."
        f"{visit_type.uuid.hex[:16]}"
    )


@dataclass(frozen=True)
class SlotChoice:
    clinician: User
    visit_type: VisitType
    start: datetime


def parse_slot_id(value: str) -> SlotChoice | None:
    parts = value.split(".")
    if len(parts) != 3:
        return None
    clinician_hex, seconds, type_prefix = parts
    try:
        clinician_uuid = uuid.UUID(hex=clinician_hex)
        start = datetime.fromtimestamp(int(seconds), tz=UTC)
    except (ValueError, OverflowError, OSError):
        return None
    profile = (
        ClinicianProfile.objects.select_related("clinician")
        .filter(clinician__uuid=clinician_uuid)
        .first()
    )
    visit_type = next(
        (
            kind
            for kind in VisitType.objects.filter(is_active=True)
            if kind.uuid.hex.startswith(type_prefix) and len(type_prefix) == 16
        ),
        None,
    )
    if profile is None or visit_type is None:
        return None
    return SlotChoice(profile.clinician, visit_type, start)


@dataclass(frozen=True)
class IncomingBooking:
    slot: SlotChoice
    reason: str


def booking_from(raw: bytes, patient: User) -> IncomingBooking:
    data = _body(raw, "Appointment")
    appointment = _validated(Appointment, data)
    for participant in appointment.participant or []:
        actor = participant.actor.reference if participant.actor else None
        if (
            actor
            and actor.startswith("Patient/")
            and actor != f"Patient/{patient.uuid}"
        ):
            raise IncomingRefused("An app can only book visits for you.", 403)
    slots = appointment.slot or []
    if len(slots) != 1 or not (slots[0].reference or "").startswith("Slot/"):
        raise IncomingRefused(
            "The Appointment must name exactly one Slot from a Slot search."
        )
    choice = parse_slot_id(slots[0].reference.removeprefix("Slot/"))
    if choice is None:
        raise IncomingRefused(
            "That slot does not exist. Please search for free slots again.", 409
        )
    reason = (appointment.description or "")[:500]
    return IncomingBooking(choice, reason)
