"""Remote monitoring: home readings, per-patient thresholds and alerts.

Called by the readings views (patient entry and upload, clinician thresholds and
acknowledgements) and demo.py; escalation runs in services.sweeper.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from accounts.models import User
from accounts.services import BodyRefused, Refusal, parse_csv, parse_json
from visits.models import Alert, Reading, Threshold
from visits.uploads import UploadRefused, read_text

BP_UNITS = {"mm[hg]", "mmhg", "mm hg"}
HR_UNITS = {"/min", "bpm", "beats/min"}

# What a living person's home device can plausibly show; anything outside is a
# typing or unit error. Narrower than the database's last-resort check
# (models.monitoring), so every way in (form, upload, API) refuses with the range.
SYSTOLIC_RANGE = (60, 260)
DIASTOLIC_RANGE = (30, 160)
HEART_RATE_RANGE = (25, 250)
# Devices and phones disagree by a few minutes; more than this is not "now".
CLOCK_SKEW = timedelta(minutes=5)
# No user record holds a birth year, so this floor stands in for "not before
# birth": it also keeps year-1 dates (which break zone conversion) out.
EARLIEST_READING = datetime(1900, 1, 1, tzinfo=UTC)

# The American Heart Association's hypertensive-crisis line: above 180 systolic
# and/or above 120 diastolic, the patient is told to act now, not wait for a call.
CRISIS_SYSTOLIC = 180
CRISIS_DIASTOLIC = 120
# A reading older than this no longer gets "measure again now" advice.
ADVICE_WINDOW = timedelta(hours=24)

MM_HG = _lazy("mm Hg")
BPM = _lazy("beats per minute")


class ReadingRefused(Refusal, ValueError):
    code = "reading_refused"


@dataclass(frozen=True)
class ReadingInput:
    kind: str
    measured_at: datetime
    systolic: int | None = None
    diastolic: int | None = None
    heart_rate: int | None = None


def _in_range(value, bounds, label: str, unit: str) -> int:
    low, high = bounds
    if isinstance(value, float) and not value.is_integer():
        value = "not whole"  # 120.5 is a typing error, not 120
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


def _check_measured_at(measured_at: datetime, now: datetime) -> None:
    # The year tests come first: comparing year 1 or 9999 across zones overflows.
    if measured_at.year > now.year + 1 or measured_at > now + CLOCK_SKEW:
        raise ReadingRefused(
            _(
                "A reading cannot be from the future. Please check the date and "
                "time it was measured."
            )
        )
    if measured_at.year < EARLIEST_READING.year or measured_at < EARLIEST_READING:
        raise ReadingRefused(
            _(
                "A reading cannot be dated before %(year)d. Please check the date "
                "it was measured."
            )
            % {"year": EARLIEST_READING.year}
        )


def validate_reading(
    data: ReadingInput, *, now: datetime | None = None
) -> ReadingInput:
    """The one plausibility check that every way of entering a reading goes through."""
    now = now or timezone.now()
    if not isinstance(data.measured_at, datetime) or timezone.is_naive(
        data.measured_at
    ):
        raise ReadingRefused(_("Please give the date and time of the reading."))
    _check_measured_at(data.measured_at, now)
    if data.kind == Reading.Kind.BLOOD_PRESSURE:
        systolic = _in_range(data.systolic, SYSTOLIC_RANGE, _("Systolic"), MM_HG)
        diastolic = _in_range(data.diastolic, DIASTOLIC_RANGE, _("Diastolic"), MM_HG)
        if systolic <= diastolic:
            raise ReadingRefused(
                _(
                    "The systolic value (%(systolic)d mm Hg) must be higher than the "
                    "diastolic value (%(diastolic)d mm Hg)."
                )
                % {"systolic": systolic, "diastolic": diastolic}
            )
        return ReadingInput(data.kind, data.measured_at, systolic, diastolic)
    if data.kind == Reading.Kind.HEART_RATE:
        rate = _in_range(data.heart_rate, HEART_RATE_RANGE, _("Heart rate"), BPM)
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
                "Systolic %(value)d mm Hg is above the threshold of %(limit)d mm Hg."
            ) % {"value": reading.systolic, "limit": limits.systolic_max}
        if reading.diastolic > limits.diastolic_max:
            return _(
                "Diastolic %(value)d mm Hg is above the threshold of %(limit)d mm Hg."
            ) % {"value": reading.diastolic, "limit": limits.diastolic_max}
        return None
    if reading.heart_rate > limits.heart_rate_max:
        return _(
            "Heart rate %(value)d beats per minute is above the threshold of "
            "%(limit)d beats per minute."
        ) % {
            "value": reading.heart_rate,
            "limit": limits.heart_rate_max,
        }
    if reading.heart_rate < limits.heart_rate_min:
        return _(
            "Heart rate %(value)d beats per minute is below the threshold of "
            "%(limit)d beats per minute."
        ) % {
            "value": reading.heart_rate,
            "limit": limits.heart_rate_min,
        }
    return None


class Advice(models.TextChoices):
    """What the patient is told after a reading (the template holds the words)."""

    CRISIS = "crisis", _lazy("Blood pressure in the crisis range")
    OVER_THRESHOLD = "over_threshold", _lazy("Over the limit your clinician set")


def advice_for(reading: Reading, limits: Threshold) -> Advice | None:
    if reading.kind == Reading.Kind.BLOOD_PRESSURE and (
        reading.systolic > CRISIS_SYSTOLIC or reading.diastolic > CRISIS_DIASTOLIC
    ):
        return Advice.CRISIS
    if _alert_message(reading, limits):
        return Advice.OVER_THRESHOLD
    return None


def describe_reading(reading: Reading) -> str:
    """A reading as people read it: "182/95 mm Hg" or "72 beats per minute"."""
    if reading.kind == Reading.Kind.BLOOD_PRESSURE:
        return _("%(systolic)d/%(diastolic)d mm Hg") % {
            "systolic": reading.systolic,
            "diastolic": reading.diastolic,
        }
    return _("%(rate)d beats per minute") % {"rate": reading.heart_rate}


@dataclass(frozen=True)
class ReadingAdvice:
    kind: Advice
    reading: Reading

    @property
    def reading_text(self) -> str:
        return describe_reading(self.reading)


def latest_reading_advice(
    *, patient: User, now: datetime | None = None
) -> ReadingAdvice | None:
    """Advice about the patient's newest reading, while it is recent enough to act on.

    Read by the readings page, so the advice stays until a newer reading replaces
    it, whether the reading was typed in or uploaded."""
    now = now or timezone.now()
    latest = (
        Reading.objects.filter(patient=patient, measured_at__lte=now + CLOCK_SKEW)
        # Two readings in the same minute: the one typed in last is the newest.
        .order_by("-measured_at", "-pk")
        .first()
    )
    if latest is None or latest.measured_at < now - ADVICE_WINDOW:
        return None
    advice = advice_for(latest, _threshold(patient))
    return ReadingAdvice(advice, latest) if advice else None


def _new_reading(
    patient: User, data: ReadingInput, source: str, **sender: str
) -> Reading:
    return Reading(
        **sender,
        patient=patient,
        kind=data.kind,
        systolic=data.systolic,
        diastolic=data.diastolic,
        heart_rate=data.heart_rate,
        measured_at=data.measured_at,
        source=source,
    )


def _store(
    patient: User, data: ReadingInput, source: str, limits: Threshold, **sender: str
):
    reading = _new_reading(patient, data, source, **sender)
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


def record_reading_from_app(
    *,
    patient: User,
    data: ReadingInput,
    app_name: str,
    device: str = "",
    identifier: str = "",
) -> tuple[Reading, bool]:
    """A reading sent by a connected app (SMART on FHIR): the same checks,
    thresholds and alerts as the form. A reading whose identifier was already
    stored is returned as it is, with False, and nothing is added."""
    data = validate_reading(data)
    sent_by = f"{app_name} ({device})" if device else app_name
    existing = Reading.objects.filter(patient=patient, external_id=identifier)
    if identifier and existing.exists():
        return existing.get(), False
    try:
        with transaction.atomic():
            reading = _store(
                patient,
                data,
                Reading.Source.APP,
                _threshold(patient),
                sent_by=sent_by[:200],
                external_id=identifier,
            )
    except IntegrityError:
        # The same reading, sent twice at once: the other request stored it.
        if not identifier:
            raise
        return existing.get(), False
    return reading, True


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
                _(
                    "Blood pressure must be in mm Hg (unit mmHg or mm[Hg]); this row "
                    "says %(unit)r."
                )
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
                _(
                    "Heart rate must be in beats per minute (unit bpm or /min); this "
                    "row says %(unit)r."
                )
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
    _in_range(systolic_max, SYSTOLIC_RANGE, _("Highest systolic"), MM_HG)
    _in_range(diastolic_max, DIASTOLIC_RANGE, _("Highest diastolic"), MM_HG)
    _in_range(heart_rate_min, HEART_RATE_RANGE, _("Lowest heart rate"), BPM)
    _in_range(heart_rate_max, HEART_RATE_RANGE, _("Highest heart rate"), BPM)
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
