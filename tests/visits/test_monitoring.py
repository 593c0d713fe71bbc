import io
import json
from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from visits.models import Alert, Reading
from visits.services.monitoring import (
    ReadingInput,
    ReadingRefused,
    acknowledge_alert,
    record_reading,
    set_thresholds,
)
from visits.services.sharing import start_care_relationship, store_document
from visits.services.sweeper import sweep
from visits.tasks import escalate_alert_task
from visits.uploads import UploadRefused

pytestmark = pytest.mark.django_db


def _bp(systolic, diastolic, *, ago=timedelta(hours=1)):
    return ReadingInput("bp", timezone.now() - ago, systolic, diastolic)


def test_impossible_values_are_refused_with_the_range(patient):
    with pytest.raises(ReadingRefused) as caught:
        record_reading(patient=patient, data=_bp(400, 80))
    assert caught.value.message == (
        "Systolic of 400 mm Hg is not possible; it must be between 60 and 260 mm Hg."
    )
    with pytest.raises(ReadingRefused, match="between 25 and 250 beats per minute"):
        record_reading(
            patient=patient,
            data=ReadingInput("hr", timezone.now(), heart_rate=400),
        )
    with pytest.raises(ReadingRefused, match="higher than the diastolic"):
        record_reading(patient=patient, data=_bp(90, 120))
    assert not Reading.objects.exists()


def test_reading_over_the_patients_threshold_raises_an_alert(patient, clinician):
    set_thresholds(
        patient=patient,
        clinician=clinician,
        systolic_max=130,
        diastolic_max=85,
        heart_rate_min=45,
        heart_rate_max=100,
    )
    record_reading(patient=patient, data=_bp(128, 80))
    assert not Alert.objects.exists()
    record_reading(patient=patient, data=_bp(135, 80))
    alert = Alert.objects.get()
    assert alert.message == "Systolic 135 mm Hg is above the threshold of 130 mm Hg."
    acknowledge_alert(alert=alert, clinician=clinician)
    alert.refresh_from_db()
    assert alert.status == Alert.Status.ACKNOWLEDGED
    assert alert.acknowledged_by == clinician


def test_unacknowledged_alert_escalates_once(
    patient, clinician, mailoutbox, settings, django_capture_on_commit_callbacks
):
    start_care_relationship(clinician=clinician, patient=patient)
    record_reading(patient=patient, data=_bp(190, 100))
    later = timezone.now() + timedelta(
        minutes=settings.VISITS_ALERT_ESCALATION_MINUTES + 1
    )
    with (
        time_machine.travel(later),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert sweep()["escalations"] == 1
        assert sweep()["escalations"] == 0
    assert Alert.objects.get().escalated_at is not None
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == []
    assert sorted(mailoutbox[0].bcc) == sorted(
        [settings.VISITS_ESCALATION_EMAIL, clinician.email]
    )
    assert "190" not in mailoutbox[0].body


def test_escalation_task_run_twice_sends_once(patient, clinician, mailoutbox):
    start_care_relationship(clinician=clinician, patient=patient)
    record_reading(patient=patient, data=_bp(190, 100))
    alert = Alert.objects.get()
    escalate_alert_task(str(alert.uuid))
    escalate_alert_task(str(alert.uuid))
    assert len(mailoutbox) == 1
    assert clinician.email in mailoutbox[0].bcc
    alert.refresh_from_db()
    assert alert.escalation_emailed_at is not None


CSV = (
    "type,measured_at,systolic,diastolic,heart_rate,unit\n"
    "bp,2026-01-05T07:30:00+00:00,132,84,,mm[Hg]\n"
    "hr,2026-01-05T07:31:00+00:00,,,71,/min\n"
)


def _upload(client, name, content):
    return client.post(
        "/visits/readings/upload/",
        {"file": SimpleUploadedFile(name, content)},
    )


def test_csv_and_json_uploads_are_read_by_content(client, patient):
    client.force_login(patient)
    assert _upload(client, "readings.json", CSV.encode()).status_code == 302
    rows = [
        {
            "type": "bp",
            "measured_at": "2026-01-06T07:30:00Z",
            "systolic": 126,
            "diastolic": 80,
            "unit": "mmHg",
        }
    ]
    assert _upload(client, "export.csv", json.dumps(rows).encode()).status_code == 302
    assert Reading.objects.filter(patient=patient).count() == 3


def test_upload_in_the_wrong_unit_or_range_saves_nothing(client, patient):
    client.force_login(patient)
    kpa = CSV + "bp,2026-01-05T08:00:00+00:00,17,11,,kPa\n"
    response = _upload(client, "readings.csv", kpa.encode())
    assert response.status_code == 400
    assert "must be in mm Hg" in response.content.decode()
    assert "Nothing was saved" in response.content.decode()
    huge = CSV + "hr,2026-01-05T08:00:00+00:00,,,900,/min\n"
    response = _upload(client, "readings.csv", huge.encode())
    assert "between 25 and 250 beats per minute" in response.content.decode()
    html = _upload(client, "readings.csv", b"<html><script>x</script></html>")
    assert html.status_code == 400
    assert not Reading.objects.exists()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            '[{"type": "bp", "measured_at": "2026-02-30T08:30:00+00:00",'
            ' "systolic": 130, "diastolic": 80, "unit": "mmHg"}]',
            "measured_at must be a date and time",
        ),
        (
            "type,measured_at,systolic,diastolic,heart_rate,unit\n"
            "bp,2026-02-30T08:30:00+00:00,130,80,,mm[Hg]\n",
            "measured_at must be a date and time",
        ),
        (
            '[{"type": "bp", "measured_at": "2026-01-05T08:30:00+00:00",'
            ' "systolic": Infinity, "diastolic": 80, "unit": "mmHg"}]',
            "Infinity, which is not a number",
        ),
        (
            '[{"type": "bp", "measured_at": "2026-01-05T08:30:00+00:00",'
            ' "systolic": NaN, "diastolic": 80, "unit": "mmHg"}]',
            "NaN, which is not a number",
        ),
        (
            '[{"type": "bp", "measured_at": "2026-01-05T08:30:00+00:00",'
            ' "systolic": 1e400, "diastolic": 80, "unit": "mmHg"}]',
            "Systolic must be a whole number",
        ),
    ],
)
def test_impossible_dates_and_numbers_in_an_upload_are_a_400(
    client, patient, content, expected
):
    client.force_login(patient)
    response = _upload(client, "readings.json", content.encode())
    assert response.status_code == 400
    assert expected in response.content.decode()
    assert not Reading.objects.exists()


def test_upload_row_cap(client, patient, settings):
    settings.VISITS_MAX_UPLOAD_READINGS = 3
    client.force_login(patient)
    row = "hr,2026-01-05T07:31:00+00:00,,,71,/min\n"
    response = _upload(client, "many.csv", (CSV + row * 2).encode())
    assert response.status_code == 400
    assert "at most 3 can be uploaded at once" in response.content.decode()
    assert not Reading.objects.exists()
    response = _upload(client, "few.csv", (CSV + row).encode())
    assert response.status_code == 302
    assert Reading.objects.filter(patient=patient).count() == 3


def test_uploaded_readings_over_the_threshold_raise_alerts(client, patient):
    client.force_login(patient)
    high = CSV + "bp,2026-01-05T08:00:00+00:00,190,100,,mm[Hg]\n"
    assert _upload(client, "readings.csv", high.encode()).status_code == 302
    alert = Alert.objects.get()
    assert alert.reading.systolic == 190
    assert alert.patient == patient


def test_upload_size_cap(client, patient, settings):
    settings.VISITS_UPLOAD_MAX_BYTES = 1024
    client.force_login(patient)
    response = _upload(client, "big.csv", CSV.encode() * 20)
    assert response.status_code == 400
    assert "too large" in response.content.decode()


def _jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (32, 32), (255, 0, 0))
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x8825] = {2: (48.0, 51.0, 0.0)}  # GPS latitude
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_images_are_reencoded_without_metadata(patient, clinician):
    raw = _jpeg_with_exif()
    assert b"SecretCam" in raw
    document = store_document(
        patient=patient,
        uploaded_by=clinician,
        title="Rash photo",
        upload=SimpleUploadedFile("rash.svg", raw),
    )
    assert document.content_type == "image/jpeg"
    stored = document.file.read()
    assert b"SecretCam" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert dict(image.getexif()) == {}
        assert image.size == (32, 32)
    assert "rash" not in document.file.name


@pytest.mark.parametrize(
    "content",
    [
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b"<!DOCTYPE html><html><body>hi</body></html>",
        b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",
        b"just some text",
    ],
)
def test_svg_html_and_unknown_files_are_refused(patient, clinician, content):
    with pytest.raises(UploadRefused):
        store_document(
            patient=patient,
            uploaded_by=clinician,
            title="x",
            upload=SimpleUploadedFile("photo.png", content),
        )


def test_trend_chart_is_svg_with_the_readings(client, patient):
    record_reading(patient=patient, data=_bp(150, 95, ago=timedelta(days=2)))
    record_reading(patient=patient, data=_bp(140, 90))
    client.force_login(patient)
    response = client.get(f"/visits/patients/{patient.uuid}/readings.svg")
    assert response["Content-Type"] == "image/svg+xml"
    body = response.content.decode()
    assert "<svg" in body and 'id="systolic"' in body and "<script" not in body
