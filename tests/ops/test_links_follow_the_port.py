"""Links follow the server: the portal started for real on a port other than 8000
(gunicorn, a throwaway SQLite database, migrate and the demo data) sends a booking
email whose link and a certificate whose QR code both open with 200 there.

Slow by nature (a whole migrate and seed_demo in a subprocess); one module fixture
does that once.
"""

import email
import os
import re
import socket
import subprocess
import sys
import time
from email import policy
from pathlib import Path

import pytest
import requests

from tests.certificates.pdf_reading import one_line, pdf_text, qr_codes
from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]

BOOK_AND_NOTIFY = """
from datetime import timedelta
from django.utils import timezone
from accounts.models import User
from certificates.models import Certificate
from visits.models import VisitType
from visits.services.booking import book_visit
from visits.services.slots import free_slots
from ops.tasks import send_queued_email_task
from visits.tasks import send_booking_notice_task

patient = User.objects.get(username="patient")
clinician = User.objects.get(username="clinician")
kind = VisitType.objects.get(code="wellness")
after = timezone.now() + timedelta(days=2)
slots = free_slots(
    visit_type=kind, clinicians=[clinician], start_date=after.date(), days=7
)
visit = book_visit(
    patient=patient, clinician=clinician, visit_type=kind, start=slots[0].start
)
send_booking_notice_task(str(visit.uuid))
send_queued_email_task()  # the outbox's worker, which this test does not start
print(visit.visit_type.name)
print(Certificate.objects.exclude(pdf="").order_by("issued_at").last().pdf.path)
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    home = tmp_path_factory.mktemp("portal")
    port = _free_port()
    assert port != 8000
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "BASE_URL", "DATABASE_URL", "PYTEST"))
    }
    env |= {
        "DEBUG": "1",
        "PORT": str(port),  # BASE_URL is left to follow it
        "VAR_DIR": str(home),
        "DATABASE_URL": f"sqlite:///{home / 'portal.sqlite3'}",
        "EMAIL_URL": f"file://{home / 'mail'}",
        "DEMO_PASSWORD": PASSWORD,
    }

    def manage(*args: str) -> str:
        result = subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )
        assert result.returncode == 0, result.stderr[-2000:]
        return result.stdout

    manage("migrate", "--noinput")
    manage("seed_demo")
    *_, visit_type, pdf_path = manage("shell", "-c", BOOK_AND_NOTIFY).splitlines()
    certificate_pdf = Path(pdf_path)
    server = subprocess.Popen(  # noqa: S603 - gunicorn from our own virtualenv
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                requests.get(f"{base}/", timeout=30)
                break
            except requests.RequestException:
                time.sleep(0.5)
        yield {
            "base": base,
            "home": home,
            "certificate_pdf": certificate_pdf,
            "visit_type": visit_type,
        }
    finally:
        server.terminate()
        server.wait(timeout=30)


def _sign_in(base: str, username: str) -> requests.Session:
    session = requests.Session()
    form = session.get(f"{base}/accounts/login/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)[1]
    signed_in = session.post(
        f"{base}/accounts/login/",
        data={"csrfmiddlewaretoken": token, "login": username, "password": PASSWORD},
        headers={"Referer": f"{base}/accounts/login/"},
        timeout=10,
    )
    assert signed_in.url.rstrip("/") == base, signed_in.url
    return session


def test_the_booking_email_link_opens_on_the_port_the_portal_runs_on(portal):
    base = portal["base"]
    messages = [
        email.message_from_bytes(path.read_bytes(), policy=policy.default)
        for path in sorted((portal["home"] / "mail").iterdir())
    ]
    booked = [m for m in messages if "is booked" in m["Subject"]]
    assert booked, [m["Subject"] for m in messages]
    body = booked[-1].get_body(("plain",)).get_content()
    links = re.findall(r"https?://\S+", body)
    assert links and all(link.startswith(base + "/") for link in links), links
    page = _sign_in(base, "patient").get(links[0], timeout=10)
    assert page.status_code == 200
    assert page.url == links[0]
    assert portal["visit_type"] in page.text


def test_the_certificate_qr_code_and_printed_address_open_on_that_port(portal):
    base = portal["base"]
    data = portal["certificate_pdf"].read_bytes()
    codes = qr_codes(data)
    assert codes and codes[0].startswith(f"{base}/certificates/verify/"), codes
    verified = requests.get(codes[0], timeout=30)
    assert verified.status_code == 200
    # The address printed for people who type it in: the same host and port.
    printed = re.search(
        r"(?:https?://)?127\.0\.0\.1:\d+/certificates/verify/\S*",
        one_line(pdf_text(data)),
    )
    assert printed, one_line(pdf_text(data))
    address = printed[0] if "://" in printed[0] else f"http://{printed[0]}"
    assert address.startswith(f"{base}/certificates/verify/")
    assert requests.get(address, timeout=30).status_code == 200
