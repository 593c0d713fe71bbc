"""Home readings a patient can trust: one plausibility check for the form and the
uploads, advice after a crisis reading, plain units, and a chart that holds a spike."""

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from defusedxml import ElementTree
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.visits.factories import booked_visit
from visits.models import Alert, Reading
from visits.services.monitoring import ReadingInput, ReadingRefused, record_reading

pytestmark = pytest.mark.django_db

CHICAGO = ZoneInfo("America/Chicago")
HEADER = "type,measured_at,systolic,diastolic,heart_rate,unit\n"

# (what, systolic, diastolic, heart rate, when relative to now, expected words)
OUT_OF_BOUNDS = [
    ("systolic low", 59, 40, None, None, "between 60 and 260 mm Hg"),
    ("systolic high", 261, 90, None, None, "between 60 and 260 mm Hg"),
    ("diastolic low", 100, 29, None, None, "between 30 and 160 mm Hg"),
    ("diastolic high", 200, 161, None, None, "between 30 and 160 mm Hg"),
    ("not above", 120, 120, None, None, "must be higher than the diastolic"),
    ("rate low", None, None, 24, None, "between 25 and 250 beats per minute"),
    ("rate high", None, None, 251, None, "between 25 and 250 beats per minute"),
    ("future", 120, 80, None, timedelta(hours=1), "cannot be from the future"),
]


def _when(offset):
    return timezone.now() - timedelta(minutes=30) + (offset or timedelta())


def _form_data(systolic, diastolic, rate, moment):
    local = moment.astimezone(CHICAGO).strftime("%Y-%m-%dT%H:%M")
    if rate is None:
        return {
            "kind": "bp",
            "measured_at": local,
            "systolic": systolic,
            "diastolic": diastolic,
        }
    return {"kind": "hr", "measured_at": local, "heart_rate": rate}


def _csv_row(systolic, diastolic, rate, moment):
    stamp = moment.isoformat()
    if rate is None:
        return f"bp,{stamp},{systolic},{diastolic},,mmHg\n"
    return f"hr,{stamp},,,{rate},bpm\n"


def _upload(client, content: str):
    return client.post(
        "/visits/readings/upload/",
        {"file": SimpleUploadedFile("readings.csv", content.encode())},
    )


@pytest.mark.parametrize(
    ("systolic", "diastolic", "rate", "offset", "expected"),
    [case[1:] for case in OUT_OF_BOUNDS],
    ids=[case[0] for case in OUT_OF_BOUNDS],
)
def test_the_form_refuses_each_bound_and_names_it(
    client, patient, systolic, diastolic, rate, offset, expected
):
    client.force_login(patient)
    data = _form_data(systolic, diastolic, rate, _when(offset))
    response = client.post("/visits/readings/", data)
    assert response.status_code == 400
    assert expected in response.content.decode()
    assert not Reading.objects.exists()


@pytest.mark.parametrize(
    ("systolic", "diastolic", "rate", "offset", "expected"),
    [case[1:] for case in OUT_OF_BOUNDS],
    ids=[case[0] for case in OUT_OF_BOUNDS],
)
def test_an_upload_refuses_each_bound_and_names_it(
    client, patient, systolic, diastolic, rate, offset, expected
):
    client.force_login(patient)
    good = _csv_row(120, 80, None, _when(None))
    bad = _csv_row(systolic, diastolic, rate, _when(offset))
    response = _upload(client, HEADER + good + bad)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Reading 2:" in page and expected in page and "Nothing was saved" in page
    assert not Reading.objects.exists()


def test_the_edges_of_each_range_and_a_little_clock_skew_are_accepted(patient):
    now = timezone.now()
    record_reading(patient=patient, data=ReadingInput("bp", now, 60, 30))
    record_reading(patient=patient, data=ReadingInput("bp", now, 260, 160))
    record_reading(patient=patient, data=ReadingInput("hr", now, heart_rate=25))
    ahead = now + timedelta(minutes=2)  # the phone's clock runs a little fast
    record_reading(patient=patient, data=ReadingInput("hr", ahead, heart_rate=250))
    assert Reading.objects.count() == 4


def test_a_year_one_date_is_refused_in_the_form_and_in_an_upload(client, patient):
    client.force_login(patient)
    form = client.post(
        "/visits/readings/",
        {
            "kind": "bp",
            "measured_at": "0001-01-01T00:00",
            "systolic": 120,
            "diastolic": 80,
        },
    )
    assert form.status_code == 400
    assert "cannot be dated before 1900" in form.content.decode()
    upload = _upload(client, HEADER + "bp,0001-01-01T00:00:00+00:00,120,80,,mmHg\n")
    assert upload.status_code == 400
    assert "cannot be dated before 1900" in upload.content.decode()
    assert not Reading.objects.exists()
    assert client.get("/visits/readings/").status_code == 200


def test_a_year_one_reading_stored_earlier_does_not_break_the_pages(client, patient):
    # Saved before the check existed (issue 13, finding 4).
    Reading.objects.create(
        patient=patient,
        kind="bp",
        systolic=120,
        diastolic=80,
        measured_at=datetime(1, 1, 1, tzinfo=UTC),
        source="upload",
    )
    client.force_login(patient)
    assert client.get("/visits/readings/").status_code == 200
    chart = client.get(f"/visits/patients/{patient.uuid}/readings.svg")
    assert chart.status_code == 200


def test_a_year_9999_reading_stored_earlier_does_not_break_the_pages(
    client, patient, clinician
):
    # A legacy row from before the "not in the future" check: converting it to a
    # zone east of UTC overflows, and the FHIR instant must still be valid.
    booked_visit(patient, clinician)
    Reading.objects.create(
        patient=patient,
        kind="bp",
        systolic=120,
        diastolic=80,
        measured_at=datetime(9999, 12, 31, 23, 0, tzinfo=UTC),
        source="upload",
    )
    record_reading(
        patient=patient,
        data=ReadingInput(
            kind="bp",
            measured_at=timezone.now() - timedelta(hours=1),
            systolic=131,
            diastolic=82,
        ),
    )
    patient.time_zone = "Asia/Kolkata"
    patient.save(update_fields=["time_zone"])
    clinician.time_zone = "Asia/Kolkata"
    clinician.save(update_fields=["time_zone"])
    client.force_login(patient)
    page = client.get("/visits/readings/")
    assert page.status_code == 200
    assert "131/82" in page.content.decode()
    client.force_login(clinician)
    chart = client.get(f"/visits/patients/{patient.uuid}/readings.svg")
    assert chart.status_code == 200
    record = client.get(f"/visits/patients/{patient.uuid}/")
    assert record.status_code == 200
    assert "131/82" in record.content.decode()
    export = client.get(f"/visits/patients/{patient.uuid}/fhir/")
    assert export.status_code == 200


def test_measured_at_starts_at_now_on_the_patients_clock(client, patient):
    moment = datetime(2026, 12, 4, 18, 37, 12, tzinfo=UTC)
    client.force_login(patient)
    with time_machine.travel(moment, tick=False):
        page = client.get("/visits/readings/").content.decode()
    field = re.search(r'<input[^>]*name="measured_at"[^>]*>', page).group(0)
    assert 'value="2026-12-04T12:37"' in field  # 12:37 in Chicago (UTC-6)


def _post_reading(client, systolic, diastolic):
    moment = timezone.now() - timedelta(minutes=5)
    return client.post(
        "/visits/readings/",
        _form_data(systolic, diastolic, None, moment),
        follow=True,
    )


def test_a_crisis_reading_tells_the_patient_what_to_do_now(client, patient):
    client.force_login(patient)
    page = _post_reading(client, 182, 95).content.decode()
    assert "Your blood pressure is very high" in page
    assert "182/95 mm Hg" in page
    assert (
        "Call 911 (or your local emergency number) now if you have chest pain" in page
    )
    assert "measure again" in page
    assert Alert.objects.filter(patient=patient).count() == 1  # the clinician's alert
    # It stays on the page, not only in a one-off message.
    assert (
        "Your blood pressure is very high"
        in client.get("/visits/readings/").content.decode()
    )


def test_a_diastolic_crisis_counts_too_and_a_normal_reading_clears_the_advice(
    client, patient
):
    client.force_login(patient)
    assert "very high" in _post_reading(client, 170, 125).content.decode()
    page = _post_reading(client, 118, 76).content.decode()
    assert "very high" not in page
    assert "outside the limits your clinician set" not in page


def test_a_reading_over_the_clinicians_limit_gets_calmer_advice(client, patient):
    client.force_login(patient)
    page = _post_reading(client, 150, 85).content.decode()
    assert "This reading is outside the limits your clinician set" in page
    assert "Your care team has been told" in page
    assert "Call 911" in page
    assert "very high" not in page


def test_screens_say_mm_hg_and_beats_per_minute(client, patient, clinician):
    record_reading(
        patient=patient,
        data=ReadingInput("hr", timezone.now() - timedelta(hours=1), heart_rate=130),
    )
    client.force_login(patient)
    page = client.get("/visits/readings/").content.decode()
    assert "mm[Hg]" not in page and "/min" not in page
    assert "Systolic (mm Hg)" in page
    assert "130 beats per minute" in page
    assert "above the threshold of 110 beats per minute" in page


def _points(path_d: str) -> list[tuple[float, float]]:
    numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", path_d)]
    return list(zip(numbers[::2], numbers[1::2], strict=True))


def _group(root, gid):
    found = root.find(f".//{{http://www.w3.org/2000/svg}}g[@id='{gid}']")
    assert found is not None, gid
    return found


def test_the_chart_keeps_a_spike_inside_and_labels_dates_and_bands(client, patient):
    start = timezone.now() - timedelta(days=10)
    for day in range(10):
        record_reading(
            patient=patient,
            data=ReadingInput("bp", start + timedelta(days=day), 128, 82),
        )
    record_reading(patient=patient, data=ReadingInput("bp", timezone.now(), 255, 150))
    client.force_login(patient)
    svg = client.get(f"/visits/patients/{patient.uuid}/readings.svg").content
    root = ElementTree.fromstring(svg)
    svg_path = "{http://www.w3.org/2000/svg}path"
    area = _points(_group(root, "blood-pressure-area").find(svg_path).get("d"))
    top = min(y for _x, y in area)
    bottom = max(y for _x, y in area)
    line = _points(_group(root, "systolic").find(svg_path).get("d"))
    assert len(line) == 11
    assert all(top <= y <= bottom for _x, y in line)  # SVG y grows downwards
    text = " ".join(root.itertext())
    assert "Date and time (America/Chicago)" in text
    assert "Crisis range, above 180" in text
    assert "Above the systolic limit of 140" in text
    assert "Heart-rate range, 50 to 110" in text
    assert b"<script" not in svg


def test_the_table_beside_the_chart_shows_times_in_the_patients_zone(client, patient):
    moment = datetime(2026, 11, 30, 14, 5, tzinfo=UTC)
    with time_machine.travel(moment + timedelta(hours=1)):
        record_reading(patient=patient, data=ReadingInput("bp", moment, 131, 84))
        client.force_login(patient)
        page = client.get("/visits/readings/").content.decode()
    assert "Measured (America/Chicago)" in page
    assert "Mon 30 Nov 2026, 08:05" in page
    assert "131/84 mm Hg" in page
    assert "Home readings over time" in page


def test_phones_get_a_narrower_chart_with_the_same_readings(client, patient):
    record_reading(patient=patient, data=ReadingInput("bp", timezone.now(), 140, 90))
    client.force_login(patient)
    url = f"/visits/patients/{patient.uuid}/readings.svg"
    wide = ElementTree.fromstring(client.get(url).content)
    narrow = ElementTree.fromstring(client.get(url, {"layout": "narrow"}).content)
    assert float(narrow.get("width").removesuffix("pt")) < float(
        wide.get("width").removesuffix("pt")
    )
    assert "Systolic (mm Hg)" in " ".join(narrow.itertext())
    page = client.get("/visits/readings/").content.decode()
    assert f'srcset="{url}?layout=narrow"' in page


@pytest.mark.parametrize(
    "zone", ["Asia/Kolkata", "Pacific/Kiritimati", "America/Chicago"]
)
@pytest.mark.parametrize(
    ("when", "expected"),
    [
        (datetime(1, 1, 1), "cannot be dated before 1900"),  # noqa: DTZ001
        (datetime(9999, 12, 31, 23, 59), "cannot be from the future"),  # noqa: DTZ001
    ],
)
def test_the_ends_of_the_calendar_are_refused_in_every_zone(
    patient, zone, when, expected
):
    # Comparing these across zones would overflow; the check must not.
    moment = when.replace(tzinfo=ZoneInfo(zone))
    with pytest.raises(ReadingRefused, match=expected):
        record_reading(patient=patient, data=ReadingInput("bp", moment, 120, 80))
