"""Mail with a real SMTP server on loopback that is down, then up.

The portal's mail settings are read from config/settings.py itself (with EMAIL_URL
naming the loopback server), not written out here, so the test exercises what
production runs. Every kind of message must arrive exactly once after the server
returns, and no request may answer 500 while it is down.

To cover a new kind of message, add a function to KINDS: it makes the portal send
it (as a person or the queue would) and returns the (recipient, subject words) it
expects to arrive.
"""

import os
import runpy
import socket
from collections import Counter
from datetime import timedelta
from email import message_from_bytes
from email.header import decode_header, make_header
from email.parser import BytesParser
from email.policy import default as default_policy
from pathlib import Path

import pytest
import time_machine
import vobject
from aiosmtpd.controller import Controller
from django.conf import settings
from django.core.mail import EmailMessage, send_mail
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_q.models import Task
from post_office.models import STATUS, Email

from courses.signals import credit_claimed
from meetings import services as meetings_services
from meetings.services.reminders import sweep_reminders
from ops import outbox
from ops.tasks import OUTBOX_FUNC, send_queued_email_task
from visits.services.booking import cancel_visit
from visits.services.monitoring import ReadingInput, record_reading
from visits.services.sharing import start_care_relationship
from visits.services.sweeper import sweep

pytestmark = pytest.mark.django_db

SETTINGS_FILE = Path(__file__).resolve().parents[2] / "config" / "settings.py"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """aiosmtpd handler: keeps every message the server accepted."""

    def __init__(self):
        self.messages = []
        self.received = []  # (subject, the parsed message) as the server got it

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd API
        message = message_from_bytes(envelope.original_content)
        subject = str(make_header(decode_header(message["Subject"])))
        self.received.append((subject, message))
        for recipient in envelope.rcpt_tos:
            self.messages.append((recipient, subject))
        return "250 OK"


def production_mail_settings(url: str) -> dict:
    """The mail settings config/settings.py computes for EMAIL_URL=url."""
    saved = os.environ.get("EMAIL_URL")
    os.environ["EMAIL_URL"] = url
    try:
        computed = runpy.run_path(str(SETTINGS_FILE))
    finally:
        if saved is None:
            del os.environ["EMAIL_URL"]
        else:
            os.environ["EMAIL_URL"] = saved
    mail = {
        name: value
        for name, value in computed.items()
        if name.startswith(("EMAIL_", "POST_OFFICE"))
    }
    # The loopback server speaks plain SMTP; production's relay uses STARTTLS.
    mail["EMAIL_USE_TLS"] = False
    return mail


@pytest.fixture
def smtp_port(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    port = free_port()
    for name, value in production_mail_settings(f"smtp://127.0.0.1:{port}").items():
        setattr(settings, name, value)
    settings.EMAIL_TIMEOUT = 5
    return port


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return run


# --- every kind of message the portal sends -----------------------------------


def booking_reminder_and_cancellation(world, on_commit, browser):
    from tests.visits.factories import booked_visit

    patient = world["patient"]
    visit = on_commit(lambda: booked_visit(patient, world["clinician"]))
    with time_machine.travel(visit.start - timedelta(hours=3)):
        on_commit(sweep)
        on_commit(lambda: cancel_visit(visit=visit, by=patient))
    return [
        (patient.email, "visit is booked"),
        (patient.email, "Reminder"),
        (patient.email, "cancelled"),
    ]


def meeting_invitation_reminder_and_cancellation(world, on_commit, browser):
    start = (timezone.now() + timedelta(days=3)).replace(microsecond=0)
    invitee = world["clinician"]
    meeting = on_commit(
        lambda: meetings_services.schedule_meeting(
            organizer=world["meeting_admin"],
            kind="administrative",
            title="Quality committee",
            start=start,
            duration_minutes=60,
            time_zone="America/New_York",
            invitees=[invitee],
        )
    )
    with time_machine.travel(start - timedelta(minutes=10)):
        on_commit(sweep_reminders)
    on_commit(lambda: meetings_services.cancel_meeting(meeting=meeting))
    return [
        (invitee.email, "Invitation"),
        (invitee.email, "Reminder"),
        (invitee.email, "Cancelled"),
    ]


def monitoring_alert_escalation(world, on_commit, browser):
    patient, clinician = world["patient"], world["clinician"]
    start_care_relationship(clinician=clinician, patient=patient)
    record_reading(
        patient=patient,
        data=ReadingInput("bp", timezone.now() - timedelta(minutes=5), 190, 100),
    )
    later = timezone.now() + timedelta(
        minutes=settings.VISITS_ALERT_ESCALATION_MINUTES + 1
    )
    with time_machine.travel(later):
        on_commit(sweep)
    return [
        (settings.VISITS_ESCALATION_EMAIL, "alert"),
        (clinician.email, "alert"),
    ]


def public_health_alert(world, on_commit, browser):
    from cms import services as cms_services
    from tests.cms.factories import make_alert

    subscriber = world["patient"]
    cms_services.subscribe_to_alerts(user=subscriber, language="en")
    on_commit(lambda: make_alert(title="Measles exposure"))
    return [(subscriber.email, "Measles exposure")]


def password_reset(world, on_commit, browser):
    patient = world["patient"]
    response = on_commit(
        lambda: browser.post(
            reverse("account_reset_password"), {"email": patient.email}
        )
    )
    assert response.status_code == 302, "the reset page must not fail on mail"
    return [(patient.email, "Password Reset")]


def certificate_issued(world, on_commit, browser):
    from tests.certificates.factories import claim

    learner = world["clinician"]
    the_claim = claim(learner)
    on_commit(lambda: credit_claimed.send(sender=type(the_claim), claim=the_claim))
    return [(learner.email, "certificate")]


def referral(world, on_commit, browser):
    from visits.services.sharing import create_referral

    specialist = world["specialist"]
    on_commit(
        lambda: create_referral(
            clinician=world["clinician"],
            patient=world["patient"],
            specialist=specialist,
            reason="Second opinion, please.",
        )
    )
    return [(specialist.email, "referral")]


KINDS = [
    booking_reminder_and_cancellation,
    meeting_invitation_reminder_and_cancellation,
    monitoring_alert_escalation,
    public_health_alert,
    password_reset,
    certificate_issued,
    referral,
]


@pytest.fixture
def world(patient, clinician, meeting_admin, specialist):
    return {
        "patient": patient,
        "clinician": clinician,
        "meeting_admin": meeting_admin,
        "specialist": specialist,
    }


def test_every_message_arrives_once_after_the_mail_server_comes_back(
    smtp_port, world, on_commit
):
    browser = Client(raise_request_exception=False)
    expected = []
    for kind in KINDS:
        expected += kind(world, on_commit, browser)

    # The server is down: nothing arrived, nothing was lost.
    assert Email.objects.exclude(status=STATUS.sent).count() >= len(expected)
    assert not Email.objects.filter(status=STATUS.sent).exists()

    inbox = Inbox()
    server = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    server.start()
    try:
        # Later than every moment the kinds above travelled to.
        with time_machine.travel(timezone.now() + timedelta(days=7)):
            send_queued_email_task()
            send_queued_email_task()  # a second run (retry, duplicate) sends nothing
    finally:
        server.stop()

    arrived = Counter(inbox.messages)
    for recipient, words in expected:
        matching = [
            (to, subject)
            for (to, subject) in arrived
            if to == recipient and words.lower() in subject.lower()
        ]
        assert matching, f"no message to {recipient} about {words!r}: {arrived}"
        assert all(arrived[key] == 1 for key in matching), arrived
    assert all(count == 1 for count in arrived.values()), arrived
    assert not Email.objects.exclude(status=STATUS.sent).exists()


def test_no_page_answers_500_while_the_mail_server_is_down(smtp_port, patient):
    browser = Client(raise_request_exception=False)
    response = browser.post(reverse("account_reset_password"), {"email": patient.email})
    assert response.status_code == 302
    assert Email.objects.get().to == [patient.email]


def test_failures_back_off_and_are_given_up_visibly(settings, smtp_port, patient):
    settings.EMAIL_MAX_ATTEMPTS = 3

    send_mail("Hello", "Body", None, [patient.email])
    email = Email.objects.get()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert outbox.send_queued_email() == {"sent": 0, "retrying": 1, "given_up": 0}
        # Not due again before its backoff has passed.
        assert outbox.send_queued_email()["retrying"] == 0
    email.refresh_from_db()
    assert email.status == STATUS.requeued
    assert email.scheduled_time == start + timedelta(minutes=1)
    with time_machine.travel(start + timedelta(minutes=1), tick=False):
        assert outbox.send_queued_email()["retrying"] == 1
    email.refresh_from_db()
    assert email.scheduled_time == start + timedelta(minutes=3)
    with time_machine.travel(start + timedelta(minutes=3), tick=False):
        assert outbox.send_queued_email()["given_up"] == 1
    email.refresh_from_db()
    assert email.status == STATUS.failed
    assert email.logs.filter(status=STATUS.failed).count() == 3
    assert "Connection refused" in email.logs.last().message


def test_given_up_mail_is_listed_for_administrators(
    client, smtp_port, settings, site_admin
):
    settings.EMAIL_MAX_ATTEMPTS = 1

    send_mail("Your visit", "Body", None, ["someone@example.org"])
    outbox.send_queued_email()
    client.force_login(site_admin)
    page = client.get("/django-admin/post_office/email/?status__exact=1")
    assert page.status_code == 200
    assert "someone@example.org" in page.content.decode()


def test_the_sweeper_schedule_is_installed(db):
    from django_q.models import Schedule

    from ops.services import install_schedules

    install_schedules()
    assert Schedule.objects.get(name="mail outbox").func == (
        "ops.tasks.send_queued_email_task"
    )


def test_delivered_mail_and_its_attachments_are_forgotten_after_a_while(
    settings, smtp_port, tmp_path
):
    from django.core.mail import EmailMessage

    message = EmailMessage("Your visit", "Body", to=["someone@example.org"])
    message.attach("visit.ics", b"BEGIN:VCALENDAR", "text/calendar")
    message.send()
    email = Email.objects.get()
    stored = Path(email.attachments.get().file.path)
    assert stored.exists()
    Email.objects.filter(pk=email.pk).update(status=STATUS.sent)
    later = timezone.now() + timedelta(days=settings.EMAIL_KEEP_SENT_DAYS + 1)
    assert outbox.delete_old_email(now=later) == 1
    assert not Email.objects.exists()
    assert not stored.exists()


def test_a_given_up_message_is_forgotten_after_the_same_while(
    settings, smtp_port, patient
):
    # A password-reset link must not wait in the database for ever because the
    # mail server refused it.
    settings.EMAIL_MAX_ATTEMPTS = 1
    message = EmailMessage("Password reset", "Body", to=[patient.email])
    message.attach("visit.ics", b"BEGIN:VCALENDAR", "text/calendar")
    message.send()
    given_up = Email.objects.get()
    stored = Path(given_up.attachments.get().file.path)
    assert outbox.send_queued_email()["given_up"] == 1
    send_mail("Still trying", "Body", None, [patient.email])

    keep = timedelta(days=settings.EMAIL_KEEP_SENT_DAYS)
    assert outbox.delete_old_email(now=timezone.now() + keep - timedelta(hours=1)) == 0
    assert outbox.delete_old_email(now=timezone.now() + keep + timedelta(days=1)) == 1
    assert not Email.objects.filter(pk=given_up.pk).exists()
    assert not stored.exists()
    # A message still waiting for its next try is never purged.
    assert Email.objects.get().subject == "Still trying"


def test_one_transaction_of_many_messages_queues_one_delivery_task(
    smtp_port, patient, django_capture_on_commit_callbacks
):
    # Tasks run inline in tests (docs/decisions/0004) and each run is stored as a
    # django-q2 Task row, so the rows count the async_task calls.
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            for number in range(50):
                send_mail(f"Alert {number}", "Body", None, [patient.email])
    assert Email.objects.count() == 50
    assert Task.objects.filter(func=OUTBOX_FUNC).count() == 1

    # A rolled-back savepoint takes its messages and its promise to deliver with
    # it; the next message in the same transaction queues a task again.
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            try:
                with transaction.atomic():
                    send_mail("Rolled back", "Body", None, [patient.email])
                    raise RuntimeError("undo")
            except RuntimeError:
                pass
            send_mail("Kept", "Body", None, [patient.email])
    assert Email.objects.count() == 51
    assert Task.objects.filter(func=OUTBOX_FUNC).count() == 2


def calendar_part(message):
    parts = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1, [p.get_content_type() for p in message.walk()]
    return parts[0]


def test_calendar_files_arrive_as_meeting_requests_and_cancellations(
    smtp_port, world, on_commit
):
    browser = Client(raise_request_exception=False)
    meeting_invitation_reminder_and_cancellation(world, on_commit, browser)
    booking_reminder_and_cancellation(world, on_commit, browser)

    inbox = Inbox()
    server = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    server.start()
    try:
        with time_machine.travel(timezone.now() + timedelta(days=7)):
            send_queued_email_task()
    finally:
        server.stop()

    # (subject words, METHOD) for each message that carries a calendar file.
    expected = {
        "Invitation": "REQUEST",
        "Cancelled:": "CANCEL",
        "visit is booked": "PUBLISH",
        "visit was cancelled": "CANCEL",
    }
    for words, method in expected.items():
        subjects = [s for s, _ in inbox.received if words.lower() in s.lower()]
        assert len(subjects) == 1, (words, [s for s, _ in inbox.received])
        raw = next(m for s, m in inbox.received if s == subjects[0]).as_bytes()
        # Read back with the standard library's parser, as a mail client would.
        message = BytesParser(policy=default_policy).parsebytes(raw)
        part = calendar_part(message)
        assert part.get_content_type() == "text/calendar", words
        assert part.get_param("method") == method, (words, part["Content-Type"])
        assert part.get_content_charset() == "utf-8"
        calendar = vobject.readOne(part.get_content())
        assert calendar.method.value == method, words
