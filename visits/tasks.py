"""Visits' background tasks (django-q2), each safe to run twice.

Enqueued after commit by visits.services (notices) and by the sweeper, whose
own task runs every minute from the one Schedule made after migrate.
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_q.models import Schedule

from accounts.models import User
from visits import notifications
from visits.models import (
    Alert,
    CareRelationship,
    Dose,
    Referral,
    SecureMessage,
    Visit,
)
from visits.services.sweeper import SWEEPER_FUNC, SWEEPER_NAME, sweep

# The one sweeper, every minute, installed after migrate by
# ops.services.install_schedules.
SCHEDULES = [
    {
        "name": SWEEPER_NAME,
        "func": SWEEPER_FUNC,
        "schedule_type": Schedule.MINUTES,
        "minutes": 1,
    }
]


def sweep_visits_task() -> dict[str, int]:
    return sweep()


def send_booking_notice_task(visit_uuid: str) -> None:
    visit = Visit.objects.select_related("patient").filter(uuid=visit_uuid).first()
    if visit is not None and visit.is_active:
        notifications.send_booking_notice(visit)


def send_reminder_task(visit_uuid: str) -> None:
    visit = Visit.objects.select_related("patient").filter(uuid=visit_uuid).first()
    if visit is not None and visit.status == Visit.Status.BOOKED:
        notifications.send_reminder(visit)


def send_cancellation_notice_task(visit_uuid: str) -> None:
    visit = Visit.objects.select_related("patient").filter(uuid=visit_uuid).first()
    if visit is not None and visit.status == Visit.Status.CANCELLED:
        notifications.send_cancellation_notice(visit)


def send_message_notice_task(message_uuid: str) -> None:
    message = (
        SecureMessage.objects.select_related("visit__patient", "visit__clinician")
        .filter(uuid=message_uuid)
        .first()
    )
    if message is None:
        return
    visit = message.visit
    recipient = (
        visit.clinician if message.sender_id == visit.patient_id else visit.patient
    )
    notifications.send_new_message_notice(to=recipient.email, visit=visit)


def escalate_alert_task(alert_uuid: str) -> None:
    alert = Alert.objects.filter(uuid=alert_uuid, status=Alert.Status.OPEN).first()
    if alert is None:
        return
    clinicians = User.objects.filter(
        pk__in=CareRelationship.objects.filter(
            patient_id=alert.patient_id, ended_at__isnull=True
        ).values("clinician")
    ).values_list("email", flat=True)
    # The claim and the message commit together: sending only stores the message
    # in the mail outbox, which delivers it and retries a failing mail server
    # (docs/decisions/0016). A second run (retry or duplicate) finds it claimed.
    with transaction.atomic():
        claimed = Alert.objects.filter(
            pk=alert.pk, escalation_emailed_at__isnull=True
        ).update(escalation_emailed_at=timezone.now())
        if not claimed:
            return
        notifications.send_alert_escalation(
            to=[settings.VISITS_ESCALATION_EMAIL, *clinicians], alert=alert
        )


def _send_once(referral_uuid: str, claim_field: str, send) -> None:
    """Queue the email once: a second run (retry or duplicate) finds it claimed.

    The claim and the message commit together; delivery and its retries are the
    mail outbox's (docs/decisions/0016), so `*_emailed_at` means "queued".
    """
    referral = (
        Referral.objects.select_related("specialist", "referring_clinician")
        .filter(uuid=referral_uuid)
        .first()
    )
    if referral is None:
        return
    with transaction.atomic():
        claimed = Referral.objects.filter(
            pk=referral.pk, **{f"{claim_field}__isnull": True}
        ).update(**{claim_field: timezone.now()})
        if not claimed:
            return
        send(referral)


def send_referral_notice_task(referral_uuid: str) -> None:
    _send_once(referral_uuid, "arrival_emailed_at", notifications.send_referral_notice)


def send_referral_opened_notice_task(referral_uuid: str) -> None:
    _send_once(
        referral_uuid,
        "opened_emailed_at",
        notifications.send_referral_opened_notice,
    )


def send_dose_reminder_task(dose_uuid: str) -> None:
    """The sweeper claimed this dose's reminder; an answered or stopped one is
    left alone (the patient took it early, or the schedule changed)."""
    dose = (
        Dose.objects.select_related("schedule__patient", "schedule__prescription")
        .filter(
            uuid=dose_uuid,
            status=Dose.Status.PLANNED,
            schedule__stopped_at__isnull=True,
        )
        .first()
    )
    if dose is not None:
        notifications.send_dose_reminder(dose)
