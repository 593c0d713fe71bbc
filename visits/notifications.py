"""Emails, calendar files and push notifications about visits. They never carry
clinical details: no visit type, reason, clinician specialty or note; only the time
and a link.

Called by visits.tasks.
"""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext
from icalendar import Calendar, Event

from accounts.services import (
    calendar_attachment,
    format_time,
    format_time_pair,
    send_email,
)
from notifications.services import PushAction, PushContent, notify_people, topics
from visits.services import medication

CALENDAR_SUMMARY = "TeleCampus video visit"


def visit_url(visit) -> str:
    return settings.BASE_URL + reverse("visits:visit", args=[visit.uuid])


def visit_calendar(visit, *, cancelled: bool = False) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//TeleCampus//visits//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    event = Event()
    event.add("uid", f"visit-{visit.uuid}@telecampus")
    event.add("dtstamp", visit.booked_at)
    event.add("dtstart", visit.start)
    event.add("dtend", visit.end)
    event.add("summary", CALENDAR_SUMMARY)
    event.add("url", visit_url(visit))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    calendar.add_component(event)
    return calendar.to_ical()


def _send(template: str, to: str, context: dict, attachment: bytes | None = None):
    parts = []
    if attachment is not None:
        method = str(Calendar.from_ical(attachment)["METHOD"])
        parts.append(
            calendar_attachment(filename="visit.ics", ical=attachment, method=method)
        )
    send_email(f"visits/email/{template}", context, to=[to], attachments=parts)


def _visit_context(visit) -> dict:
    # The recipient's own zone (their profile now, not the one at booking), then
    # the clinic's when it differs; the same helper every page uses, so the mail,
    # the pages and the calendar file agree to the minute.
    return {
        "when": format_time_pair(visit.start, visit.patient, visit.time_zone),
        "url": visit_url(visit),
        "book_url": settings.BASE_URL + reverse("visits:book"),
    }


def send_booking_notice(visit) -> None:
    _send("booked", visit.patient.email, _visit_context(visit), visit_calendar(visit))


def send_reminder(visit) -> None:
    _send("reminder", visit.patient.email, _visit_context(visit), visit_calendar(visit))
    # And the patient's devices that asked for visit reminders: a locked screen
    # shows this, so it says when, never with whom or why.
    notify_people(
        users=[visit.patient],
        topic=topics.VISIT_REMINDERS,
        dedupe_key=f"visit-reminder:{visit.uuid}",
        content=PushContent(
            title=gettext("Your video visit is soon"),
            body=gettext("It starts %(when)s.")
            % {"when": format_time(visit.start, visit.patient)},
            url=reverse("visits:visit", args=[visit.uuid]),
            tag=f"visit-{visit.uuid}",
        ),
    )


def send_cancellation_notice(visit) -> None:
    _send(
        "cancelled",
        visit.patient.email,
        _visit_context(visit),
        visit_calendar(visit, cancelled=True),
    )


def send_new_message_notice(*, to: str, visit) -> None:
    _send("new_message", to, {"url": visit_url(visit)})


def send_alert_escalation(*, to: list[str], alert) -> None:
    """One message for everyone (blind copies), so it goes out whole or not at all."""
    send_email(
        "visits/email/alert_escalated",
        {"url": settings.BASE_URL + reverse("visits:alerts")},
        bcc=sorted(set(to)),
    )


def referral_url(referral) -> str:
    return settings.BASE_URL + reverse("visits:referral", args=[referral.uuid])


def send_referral_notice(referral) -> None:
    """To the specialist: who referred and until when, never the patient or why."""
    specialist = referral.specialist
    _send(
        "referral_received",
        specialist.email,
        {
            "referrer": referral.referring_clinician.display_name,
            "expires": format_time(referral.expires_at, specialist),
            "url": referral_url(referral),
        },
    )


def send_referral_opened_notice(referral) -> None:
    """To the referring clinician, in their zone, when the specialist first looks."""
    clinician = referral.referring_clinician
    _send(
        "referral_opened",
        clinician.email,
        {
            "specialist": referral.specialist.display_name,
            "sent": format_time(referral.created_at, clinician),
            "opened": format_time(referral.opened_at, clinician),
            "url": referral_url(referral),
        },
    )


def medicines_url() -> str:
    return settings.BASE_URL + reverse("visits:medicines")


def _dose_button(dose, answer: str, title: str) -> PushAction:
    return PushAction(
        action=answer,
        title=title,
        url=reverse("visits:dose_answer_by_token"),
        token=medication.answer_token(dose, answer),
    )


def send_dose_reminder(dose) -> None:
    """No medicine name in the email or on a locked screen: only the time, in the
    schedule's own zone, and a link. The push adds the name only on devices whose
    owner chose to see medicine names, and its Taken/Skipped buttons post a signed
    token (visits.services.medication.answer_token) in the request body."""
    schedule = dose.schedule
    clock = format_time(dose.due_at, schedule.time_zone, fmt="G:i", label=False)
    _send(
        "dose_reminder",
        schedule.patient.email,
        {"clock": clock, "url": medicines_url()},
    )
    prescription = schedule.prescription
    notify_people(
        users=[schedule.patient],
        topic=topics.MEDICINE_REMINDERS,
        dedupe_key=f"dose:{dose.uuid}",
        content=PushContent(
            title=gettext("Time for your medicine"),
            body=gettext("Your %(clock)s dose is due.") % {"clock": clock},
            url=reverse("visits:medicines"),
            tag=f"dose-{dose.uuid}",
            actions=[
                _dose_button(dose, "taken", gettext("Taken")),
                _dose_button(dose, "skipped", gettext("Skipped")),
            ],
            # The name only (the person opted in to names, not doses).
            private_detail=prescription.medication,
        ),
    )
