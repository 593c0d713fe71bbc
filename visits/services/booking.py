"""Booking, cancelling and rescheduling visits.

Booking locks the clinician's and the patient's user rows (in id order, so two
bookings never deadlock) and then checks for overlaps; a partial unique
constraint backs this up in the database. Called by the booking views, the
follow-up flow, demo.py and the benchmark.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_q.tasks import async_task

from accounts.models import User
from visits.errors import VisitsError
from visits.models import ClinicianProfile, Visit, VisitType
from visits.services.slots import free_slots


class BookingError(VisitsError):
    """A booking, cancellation or move that cannot be made."""


def _lock_people(*people: User) -> None:
    list(
        User.objects.select_for_update()
        .filter(pk__in=[person.pk for person in people])
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _claim_slot_or_refuse(clinician: User, start: datetime) -> None:
    """One booking of this clinician's slot at a time; the others are refused at
    once instead of queueing on the row lock only to find the slot gone.

    A transaction-scoped advisory try-lock on (clinician, start): under a 50-way
    race 49 bookings return in milliseconds (bench/bench_visits_booking.py). The
    row locks below still serialise bookings of overlapping, different starts.
    SQLite serialises whole write transactions and needs none of this."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_try_advisory_xact_lock(%s, %s)",
            # int4 keys: the id folded into 31 bits (a collision only makes two
            # clinicians' same-minute bookings take turns), minutes since 1970.
            [clinician.pk & 0x7FFFFFFF, int(start.timestamp()) // 60],
        )
        (claimed,) = cursor.fetchone()
    if not claimed:
        raise BookingError(
            _("Sorry, that time was just taken. Please choose another time.")
        )


def _enqueue(task: str, visit: Visit) -> None:
    transaction.on_commit(lambda: async_task(f"visits.tasks.{task}", str(visit.uuid)))


@transaction.atomic
def book_visit(
    *,
    patient: User,
    clinician: User,
    visit_type: VisitType,
    start: datetime,
    reason: str = "",
    now: datetime | None = None,
    rescheduled_from: Visit | None = None,
) -> Visit:
    """Book a free slot, or raise BookingError if it was just taken."""
    now = now or timezone.now()
    end = start + timedelta(minutes=visit_type.duration_minutes)
    _claim_slot_or_refuse(clinician, start)
    _lock_people(patient, clinician)
    # Cheapest refusals first: under contention every loser waits for the lock,
    # then leaves after one query instead of recomputing the schedule.
    if (
        Visit.objects.active()
        .filter(clinician=clinician)
        .overlapping(start, end)
        .exists()
    ):
        raise BookingError(
            _("Sorry, that time was just taken. Please choose another time.")
        )
    if Visit.objects.active().filter(patient=patient).overlapping(start, end).exists():
        raise BookingError(
            _("You already have a visit at that time. Please choose another time.")
        )
    profile = ClinicianProfile.objects.filter(clinician=clinician).first()
    if profile is None or not profile.visit_types.filter(pk=visit_type.pk).exists():
        raise BookingError(_("This clinician does not offer this kind of visit."))
    clinic_day = start.astimezone(profile.clinic_zone_info).date()
    offered = free_slots(
        visit_type=visit_type,
        clinicians=[clinician],
        start_date=clinic_day,
        days=1,
        now=now,
    )
    if not any(slot.start == start for slot in offered):
        raise BookingError(
            _(
                "Sorry, that time was just taken or is no longer offered. "
                "Please choose another time."
            )
        )
    try:
        with transaction.atomic():
            visit = Visit.objects.create(
                patient=patient,
                clinician=clinician,
                visit_type=visit_type,
                start=start,
                end=end,
                time_zone=profile.time_zone,
                patient_time_zone=patient.time_zone,
                reason=reason,
                rescheduled_from=rescheduled_from,
            )
    except IntegrityError:
        raise BookingError(
            _("Sorry, that time was just taken. Please choose another time.")
        ) from None
    _enqueue("send_booking_notice_task", visit)
    return visit


def cancel_cutoff(visit: Visit) -> datetime:
    return visit.start - timedelta(hours=settings.VISITS_CANCEL_CUTOFF_HOURS)


def can_change(visit: Visit, *, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return visit.status == Visit.Status.BOOKED and now < cancel_cutoff(visit)


@transaction.atomic
def cancel_visit(
    *, visit: Visit, by: User, now: datetime | None = None, notify: bool = True
) -> Visit:
    """Cancel a booked visit; patients only until the cutoff. The slot is freed.

    The video room is made at check-in, so a booked visit has none to close.
    """
    now = now or timezone.now()
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    if visit.status != Visit.Status.BOOKED:
        raise BookingError(_("This visit can no longer be cancelled."))
    if by.pk == visit.patient_id and not can_change(visit, now=now):
        raise BookingError(
            _(
                "Visits can be cancelled online until %(hours)d hours before they "
                "start. Please send your clinician a message instead."
            )
            % {"hours": settings.VISITS_CANCEL_CUTOFF_HOURS}
        )
    visit.status = Visit.Status.CANCELLED
    visit.cancelled_at = now
    visit.save(update_fields=["status", "cancelled_at"])
    if notify:
        _enqueue("send_cancellation_notice_task", visit)
    return visit


@transaction.atomic
def reschedule_visit(
    *, visit: Visit, start: datetime, now: datetime | None = None
) -> Visit:
    """Move a visit to another free slot of the same clinician; all or nothing."""
    now = now or timezone.now()
    cancel_visit(visit=visit, by=visit.patient, now=now, notify=False)
    return book_visit(
        patient=visit.patient,
        clinician=visit.clinician,
        visit_type=visit.visit_type,
        start=start,
        reason=visit.reason,
        now=now,
        rescheduled_from=visit,
    )
