"""Remote monitoring: home readings, per-patient thresholds and alerts.

Called by the readings views (patient entry and upload, clinician thresholds and
acknowledgements) and demo.py; escalation runs in services.sweeper.
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.untrusted_input import BodyRefused, parse_csv, parse_json
from visits.models import Alert, Reading, Threshold
from visits.models.monitoring import DIASTOLIC_RANGE, HEART_RATE_RANGE, SYSTOLIC_RANGE
from visits.uploads import UploadRefused, read_text

BP_UNITS = {"mm[hg]", "mmhg"}
HR_UNITS = {"/min", "bpm", "beats/min"}


class ReadingRefused(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ReadingInput:
    kind: str
    measured_at: datetime
    systolic: int | None = None
    diastolic: int | None = None
    heart_rate: int | None = None


def _in_range(value, bounds, label: str, unit: str) -> int:
    low, high = bounds
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        raise ReadingRefused(
            _("%(label)s must be a whole number.") % {"label": label}
        ) from None
    if not low <= number <= high:
        raise ReadingRefused(
            _(
                "%(label)s of %(value)s %(unit)s is not possible; it must be between "
                "%(low)d and %(high)d %(unit)s."
            )
            % {"label": label, "value": number, "unit": unit, "low": low, "high": high}
        )
    return number


def validate_reading(
    data: ReadingInput, *, now: datetime | None = None
) -> ReadingInput:
    now = now or timezone.now()
    if data.measured_at > now:
        raise ReadingRefused(_("A reading cannot be from the future."))
    if data.kind == Reading.Kind.BLOOD_PRESSURE:
        systolic = _in_range(data.systolic, SYSTOLIC_RANGE, _("Systolic"), "mm[Hg]")
        diastolic = _in_range(data.diastolic, DIASTOLIC_RANGE, _("Diastolic"), "mm[Hg]")
        if systolic <= diastolic:
            raise ReadingRefused(
                _("The systolic value must be higher than the diastolic value.")
            )
        return ReadingInput(data.kind, data.measured_at, systolic, diastolic)
    if data.kind == Reading.Kind.HEART_RATE:
        rate = _in_range(data.heart_rate, HEART_RATE_RANGE, _("Heart rate"), "/min")
        return ReadingInput(data.kind, data.measured_at, heart_rate=rate)
    raise ReadingRefused(_("The reading must be blood pressure or heart rate."))


def _threshold(patient: User) -> Threshold:
    return Threshold.objects.filter(patient=patient).first() or Threshold(
        patient=patient
    )


def _alert_message(reading: Reading, limits: Threshold) -> str | None:
    if reading.kind == Reading.Kind.BLOOD_PRESSURE:
        if reading.systolic > limits.systolic_max:
            return _(
                "Systolic %(value)d mm[Hg] is above the threshold of %(limit)d mm[Hg]."
            ) % {"value": reading.systolic, "limit": limits.systolic_max}
        if reading.diastolic > limits.diastolic_max:
            return _(
                "Diastolic %(value)d mm[Hg] is above the threshold of %(limit)d mm[Hg]."
            ) % {"value": reading.diastolic, "limit": limits.diastolic_max}
        return None
    if reading.heart_rate > limits.heart_rate_max:
        return _(
            "Heart rate %(value)d/min is above the threshold of %(limit)d/min."
        ) % {
            "value": reading.heart_rate,
            "limit": limits.heart_rate_max,
        }
    if reading.heart_rate < limits.heart_rate_min:
        return _(
            "Heart rate %(value)d/min is below the threshold of %(limit)d/min."
        ) % {
            "value": reading.heart_rate,
            "limit": limits.heart_rate_min,
        }
    return None


def _new_reading(patient: User, data: ReadingInput, source: str) -> Reading:
    return Reading(
        patient=patient,
        kind=data.kind,
        systolic=data.systolic,
        diastolic=data.diastolic,
        heart_rate=data.heart_rate,
        measured_at=data.measured_at,
        source=source,
    )


def _store(patient: User, data: ReadingInput, source: str, limits: Threshold):
    reading = _new_reading(patient, data, source)
    reading.save()
    message = _alert_message(reading, limits)
    if message:
        Alert.objects.create(
            reading=reading, patient=patient, message=message, created_at=timezone.now()
        )
    return reading


@transaction.atomic
def record_reading(*, patient: User, data: ReadingInput) -> Reading:
    data = validate_reading(data)
    return _store(patient, data, Reading.Source.MANUAL, _threshold(patient))


def _row_to_input(row: dict) -> ReadingInput:
    kind = str(row.get("type", "")).strip().lower()
    unit = str(row.get("unit", "")).strip().lower()
    try:
        measured = parse_datetime(str(row.get("measured_at", "")).strip())
    except ValueError:  # well formed but impossible, e.g. 30 February
        measured = None
    if measured is None or timezone.is_naive(measured):
        raise ReadingRefused(
            _(
                "measured_at must be a date and time with its UTC offset, e.g. "
                "2026-03-01T08:30:00+00:00."
            )
        )
    if kind in {"bp", "blood_pressure"}:
        if unit not in BP_UNITS:
            raise ReadingRefused(
                _("Blood pressure must be in mm[Hg]; this row says %(unit)r.")
                % {"unit": row.get("unit", "")}
            )
        return ReadingInput(
            Reading.Kind.BLOOD_PRESSURE,
            measured,
            row.get("systolic"),
            row.get("diastolic"),
        )
    if kind in {"hr", "heart_rate"}:
        if unit not in HR_UNITS:
            raise ReadingRefused(
                _("Heart rate must be in /min; this row says %(unit)r.")
                % {"unit": row.get("unit", "")}
            )
        return ReadingInput(
            Reading.Kind.HEART_RATE, measured, heart_rate=row.get("heart_rate")
        )
    raise ReadingRefused(_("type must be bp or hr."))


def parse_readings_file(upload) -> list[ReadingInput]:
    """CSV (header: type,measured_at,systolic,diastolic,heart_rate,unit) or JSON list.

    The format is decided by the content; every row is checked before any is saved.
    Parsing goes through accounts.untrusted_input, which bounds size, depth and
    cell length, so a hostile file is refused with a sentence rather than a 500.
    """
    text = read_text(upload)
    stripped = text.lstrip()
    limit = settings.VISITS_MAX_UPLOAD_READINGS
    try:
        if stripped.startswith(("[", "{")):
            rows = parse_json(stripped, max_bytes=settings.VISITS_UPLOAD_MAX_BYTES)
        else:
            table = parse_csv(text, max_rows=limit)
            rows = table.rows
    except BodyRefused as exc:
        raise UploadRefused(
            _("%(problem)s Nothing was saved.") % {"problem": exc.message}
        ) from None
    if stripped.startswith(("[", "{")):
        if isinstance(rows, dict):
            rows = rows.get("readings", [])
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise UploadRefused(_("The JSON file must hold a list of readings."))
    elif "type" not in table.fieldnames:
        raise UploadRefused(
            _(
                "The CSV file needs a header row: type,measured_at,systolic,"
                "diastolic,heart_rate,unit."
            )
        )
    if not rows:
        raise UploadRefused(_("The file holds no readings."))
    if len(rows) > limit:
        raise UploadRefused(
            _(
                "The file holds %(count)d readings; at most %(limit)d can be "
                "uploaded at once. Please split it. Nothing was saved."
            )
            % {"count": len(rows), "limit": limit}
        )
    parsed = []
    for number, row in enumerate(rows, start=1):
        try:
            parsed.append(validate_reading(_row_to_input(row)))
        except ReadingRefused as exc:
            raise UploadRefused(
                _("Reading %(number)d: %(problem)s Nothing was saved.")
                % {"number": number, "problem": exc.message}
            ) from None
    return parsed


@transaction.atomic
def import_readings(*, patient: User, readings: list[ReadingInput]) -> list[Reading]:
    limits = _threshold(patient)
    # bulk_create sets primary keys on PostgreSQL and SQLite, so the alerts can
    # point at their readings.
    saved = Reading.objects.bulk_create(
        [_new_reading(patient, data, Reading.Source.UPLOAD) for data in readings]
    )
    now = timezone.now()
    alerts = []
    for reading in saved:
        message = _alert_message(reading, limits)
        if message:
            alerts.append(
                Alert(reading=reading, patient=patient, message=message, created_at=now)
            )
    Alert.objects.bulk_create(alerts)
    return saved


@transaction.atomic
def set_thresholds(
    *,
    patient: User,
    clinician: User,
    systolic_max: int,
    diastolic_max: int,
    heart_rate_min: int,
    heart_rate_max: int,
) -> Threshold:
    _in_range(systolic_max, SYSTOLIC_RANGE, _("Highest systolic"), "mm[Hg]")
    _in_range(diastolic_max, DIASTOLIC_RANGE, _("Highest diastolic"), "mm[Hg]")
    _in_range(heart_rate_min, HEART_RATE_RANGE, _("Lowest heart rate"), "/min")
    _in_range(heart_rate_max, HEART_RATE_RANGE, _("Highest heart rate"), "/min")
    if heart_rate_min >= heart_rate_max:
        raise ReadingRefused(
            _("The lowest heart rate must be below the highest heart rate.")
        )
    threshold, _created = Threshold.objects.update_or_create(
        patient=patient,
        defaults={
            "systolic_max": systolic_max,
            "diastolic_max": diastolic_max,
            "heart_rate_min": heart_rate_min,
            "heart_rate_max": heart_rate_max,
            "set_by": clinician,
        },
    )
    return threshold


@transaction.atomic
def acknowledge_alert(*, alert: Alert, clinician: User) -> Alert:
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if alert.status == Alert.Status.OPEN:
        alert.status = Alert.Status.ACKNOWLEDGED
        alert.acknowledged_at = timezone.now()
        alert.acknowledged_by = clinician
        alert.save(update_fields=["status", "acknowledged_at", "acknowledged_by"])
    return alert
