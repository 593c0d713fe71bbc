"""Readings uploads built to crash a parser get a 400 with a sentence (issue 13, #3)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from visits.models import Reading

pytestmark = pytest.mark.django_db

HEADER = "type,measured_at,systolic,diastolic,heart_rate,unit\n"


def _upload(client, name: str, content: bytes):
    return client.post(
        "/visits/readings/upload/", {"file": SimpleUploadedFile(name, content)}
    )


@pytest.fixture
def patient_client(patient):
    # A 500 must come back as a response, as it would with DEBUG=0, not as an
    # exception raised into the test.
    client = Client(raise_request_exception=False)
    client.force_login(patient)
    return client


def test_200000_nested_brackets_are_a_400(patient_client):
    response = _upload(patient_client, "deep.json", b"[" * 200_000 + b"]" * 200_000)
    assert response.status_code == 400
    assert "nested too deeply" in response.content.decode()
    assert not Reading.objects.exists()


def test_a_csv_cell_of_one_and_a_half_megabytes_is_a_400(patient_client):
    row = "hr,2026-01-05T07:31:00+00:00,,," + "7" * 1_500_000 + ",/min\n"
    response = _upload(patient_client, "huge.csv", (HEADER + row).encode())
    assert response.status_code == 400
    assert "longer than 10000 characters" in response.content.decode()
    assert not Reading.objects.exists()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        # Python refuses to turn more than 4,300 digits into an int (ValueError).
        (
            b'[{"type": "hr", "measured_at": "2026-01-05T07:31:00+00:00", '
            b'"heart_rate": ' + b"7" * 5000 + b', "unit": "/min"}]',
            "number that is too long",
        ),
        (b"\xff\xfe[]", "must be CSV or JSON text"),
    ],
)
def test_other_parser_crashes_are_a_400(patient_client, content, expected):
    response = _upload(patient_client, "odd.txt", content)
    assert response.status_code == 400
    assert expected in response.content.decode()
    assert not Reading.objects.exists()


def _png_claiming(width: int, height: int) -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" * (height * (width // 8 + 1)), 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows)


def test_an_image_claiming_too_many_pixels_is_refused_before_decoding():
    from visits.uploads import UploadRefused, clean_document

    # 12,000 x 12,000 = 144 million pixels: under Pillow's own error threshold.
    with pytest.raises(UploadRefused, match="too large \\(12000 x 12000 pixels\\)"):
        clean_document(SimpleUploadedFile("scan.png", _png_claiming(12_000, 12_000)))
