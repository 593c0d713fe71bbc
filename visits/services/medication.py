"""Medication schedules: setting one from an approved prescription, planning its
doses, reminding once per dose, answering taken/skipped, and adherence.

Called by the medicine views (patient and clinician), the dose-answer endpoint the
notification buttons post to, the visits sweeper (plan_and_claim_due_doses) and
visits.tasks (the reminder itself). Dose rows are unique per schedule and moment,
and each reminder is claimed with a conditional UPDATE, so two sweepers at once
still remind once per dose (docs/decisions/0022-medication-schedules.md).
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core import signing
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from visits.errors import VisitsError
from visits.models import Dose, MedicationSchedule, RefillRequest

# Doses exist as rows this far ahead (so the patient sees the next ones); the
# sweeper tops a schedule up once less than half of it is left.
PLANNING_HORIZON = timedelta(days=2)
# A dose whose time passed longer ago than this (the sweeper was down) gets no
# reminder: a late "take your 8:00 medicine" at noon could cause a double dose.
REMINDER_GRACE = timedelta(minutes=60)
# A dose can be answered from this long before its time, and until a week after.
ANSWER_EARLY = timedelta(hours=2)
ANSWER_LATE = timedelta(days=7)
ADHERENCE_DAYS = 14
MAX_TIMES_PER_DAY = 8
ANSWER_TOKEN_SALT = "visits.dose-answer"  # noqa: S105 - a namespace, not a secret
ANSWER_TOKEN_MAX_AGE = timedelta(days=1)
ANSWERS = (Dose.Status.TAKEN, Dose.Status.SKIPPED)


class MedicationError(VisitsError):
    """A schedule or an answer the rules do not allow; `message` says why."""


def active_prescriptions(patient: User):
    """Approved prescriptions (refills) are the medicines a schedule can follow."""
    return RefillRequest.objects.filter(
        patient=patient, status=RefillRequest.Status.APPROVED
    )


def occurrences(
    schedule: MedicationSchedule, *, after: datetime, until: datetime
) -> list[datetime]:
    """Every planned moment in (after, until], in UTC.

    Each local date and wall-clock time is made aware in the schedule's zone, so
    08:00 in Chicago is 13:00 UTC in summer and 14:00 UTC in winter. A time that a
    spring-forward skips (02:30) falls an hour later in wall time; one that a
    fall-back repeats (01:30) is its first occurrence (fold=0): one moment each."""
    zone = ZoneInfo(schedule.time_zone)
    first = max(schedule.start_date, after.astimezone(zone).date())
    last = until.astimezone(zone).date()
    if schedule.end_date:
        last = min(last, schedule.end_date)
    times = [time.fromisoformat(text) for text in schedule.times_of_day]
    moments = []
    day = first
    while day <= last:
        if day.isoweekday() in schedule.weekdays:
            for clock in times:
                moment = datetime.combine(day, clock, tzinfo=zone).astimezone(
                    ZoneInfo("UTC")
                )
                if after < moment <= until:
                    moments.append(moment)
        day += timedelta(days=1)
    return moments


def plan_doses(schedule: MedicationSchedule, *, now: datetime) -> int:
    """Create the Dose rows up to now + PLANNING_HORIZON; safe to run at once
    with another planner (the unique constraint drops the duplicates)."""
    if schedule.stopped_at is not None:
        return 0
    start = schedule.planned_until or (now - REMINDER_GRACE)
    until = now + PLANNING_HORIZON
    moments = occurrences(schedule, after=start, until=until)
    Dose.objects.bulk_create(
        [Dose(schedule=schedule, due_at=moment) for moment in moments],
        ignore_conflicts=True,
    )
    MedicationSchedule.objects.filter(pk=schedule.pk).update(planned_until=until)
    return len(moments)


def _clean_times(times_of_day: list[time]) -> list[str]:
    texts = sorted({clock.strftime("%H:%M") for clock in times_of_day})
    if not texts:
        raise MedicationError(_("Please give at least one time of day."))
    if len(texts) > MAX_TIMES_PER_DAY:
        raise MedicationError(
            _("Please give at most %(count)d times a day.")
            % {"count": MAX_TIMES_PER_DAY}
        )
    return texts


@transaction.atomic
def set_medication_schedule(
    *,
    prescription: RefillRequest,
    set_by: User,
    times_of_day: list[time],
    weekdays: list[int],
    start_date: date,
    end_date: date | None = None,
    now: datetime | None = None,
) -> MedicationSchedule:
    """A new schedule for an approved prescription; it replaces the one before
    (whose future unanswered doses are removed, answered ones kept)."""
    now = now or timezone.now()
    prescription = RefillRequest.objects.select_for_update().get(pk=prescription.pk)
    if prescription.status != RefillRequest.Status.APPROVED:
        raise MedicationError(
            _("A schedule can only follow a prescription your clinician approved.")
        )
    days = sorted({int(day) for day in weekdays})
    if not days or not set(days) <= set(range(1, 8)):
        raise MedicationError(_("Please choose at least one day of the week."))
    if end_date and end_date < start_date:
        raise MedicationError(_("The last day must not be before the first day."))
    times = _clean_times(times_of_day)
    for earlier in MedicationSchedule.objects.filter(
        prescription=prescription, stopped_at__isnull=True
    ):
        _stop(earlier, now=now)
    schedule = MedicationSchedule.objects.create(
        patient=prescription.patient,
        prescription=prescription,
        set_by=set_by,
        times_of_day=times,
        weekdays=days,
        start_date=start_date,
        end_date=end_date,
        # The patient's zone: they take the medicine where they live.
        time_zone=str(prescription.patient.time_zone or "UTC"),
        created_at=now,
    )
    plan_doses(schedule, now=now)
    return schedule


def _stop(schedule: MedicationSchedule, *, now: datetime) -> None:
    schedule.stopped_at = now
    schedule.save(update_fields=["stopped_at"])
    schedule.doses.filter(status=Dose.Status.PLANNED, due_at__gt=now).delete()


@transaction.atomic
def stop_medication_schedule(
    *, schedule: MedicationSchedule, now: datetime | None = None
) -> MedicationSchedule:
    schedule = MedicationSchedule.objects.select_for_update().get(pk=schedule.pk)
    if schedule.stopped_at is None:
        _stop(schedule, now=now or timezone.now())
    return schedule


def plan_and_claim_due_doses(*, now: datetime) -> list[str]:
    """The sweeper's step: top up planning, then claim each due dose's reminder
    with a conditional UPDATE. Returns the claimed doses' UUIDs (the caller
    enqueues their reminders after commit)."""
    today = now.date()
    needs_planning = MedicationSchedule.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today - timedelta(days=1)),
        stopped_at__isnull=True,
    ).filter(
        Q(planned_until__isnull=True) | Q(planned_until__lt=now + PLANNING_HORIZON / 2)
    )
    for schedule in needs_planning:
        plan_doses(schedule, now=now)
    due = Dose.objects.filter(
        status=Dose.Status.PLANNED,
        reminder_sent_at__isnull=True,
        due_at__lte=now,
        due_at__gt=now - REMINDER_GRACE,
        schedule__stopped_at__isnull=True,
        # Someone who has left (accounts.leaving) gets no more reminders.
        schedule__patient__is_active=True,
    )
    # One order for every sweeper, so two claiming at once never deadlock.
    due = due.order_by("due_at", "pk").values_list("pk", "uuid")
    claimed = []
    for pk, key in due:
        if Dose.objects.filter(pk=pk, reminder_sent_at__isnull=True).update(
            reminder_sent_at=now
        ):
            claimed.append(str(key))
    return claimed


def can_answer(dose: Dose, *, now: datetime) -> bool:
    return dose.due_at - ANSWER_EARLY <= now <= dose.due_at + ANSWER_LATE


@transaction.atomic
def answer_dose(*, dose: Dose, answer: str, now: datetime | None = None) -> Dose:
    """Taken or skipped. The same answer twice is a no-op (a notification button
    pressed twice); a different answer corrects the first."""
    now = now or timezone.now()
    if answer not in ANSWERS:
        raise MedicationError(_("Please answer taken or skipped."))
    dose = Dose.objects.select_for_update().get(pk=dose.pk)
    if not can_answer(dose, now=now):
        raise MedicationError(
            _("This dose can no longer be answered, or it is not due yet.")
        )
    if dose.status != answer:
        dose.status = answer
        dose.answered_at = now
        dose.save(update_fields=["status", "answered_at"])
    return dose


def answer_token(dose: Dose, answer: str) -> str:
    """A signed, expiring token for one answer to one dose by its patient: what
    a notification's button posts, without a session or CSRF token."""
    return signing.dumps(
        {
            "dose": str(dose.uuid),
            "answer": answer,
            "patient": str(dose.schedule.patient.uuid),
        },
        salt=ANSWER_TOKEN_SALT,
        compress=True,
    )


@dataclass(frozen=True)
class TokenAnswer:
    dose: Dose
    answer: str


def read_answer_token(token: str) -> TokenAnswer | None:
    """The dose and answer a valid, unexpired token names, else None."""
    try:
        claims = signing.loads(
            token,
            salt=ANSWER_TOKEN_SALT,
            max_age=ANSWER_TOKEN_MAX_AGE.total_seconds(),
        )
    except signing.BadSignature:
        return None
    if not isinstance(claims, dict) or claims.get("answer") not in ANSWERS:
        return None
    dose = (
        Dose.objects.select_related("schedule__patient")
        .filter(uuid=claims.get("dose"))
        .first()
    )
    patient = dose.schedule.patient if dose else None
    if (
        patient is None
        or not patient.is_active
        or str(patient.uuid) != claims.get("patient")
    ):
        return None
    return TokenAnswer(dose=dose, answer=claims["answer"])


@dataclass(frozen=True)
class Adherence:
    schedule: MedicationSchedule
    due: int
    taken: int
    skipped: int
    recent: list[Dose]

    @property
    def missed(self) -> int:
        return self.due - self.taken - self.skipped

    @property
    def percent_taken(self) -> int | None:
        return round(100 * self.taken / self.due) if self.due else None


def adherence_for(patient: User, *, now: datetime | None = None) -> list[Adherence]:
    """Per schedule, the doses due in the last ADHERENCE_DAYS and what became of
    them (no answer counts as missed), newest schedule first."""
    now = now or timezone.now()
    since = now - timedelta(days=ADHERENCE_DAYS)
    result = []
    for schedule in MedicationSchedule.objects.filter(patient=patient).select_related(
        "prescription"
    ):
        doses = list(schedule.doses.filter(due_at__gt=since, due_at__lte=now))
        if schedule.stopped_at is not None and not doses:
            continue
        result.append(
            Adherence(
                schedule=schedule,
                due=len(doses),
                taken=sum(dose.status == Dose.Status.TAKEN for dose in doses),
                skipped=sum(dose.status == Dose.Status.SKIPPED for dose in doses),
                recent=doses[-6:][::-1],
            )
        )
    return result


def upcoming_doses(patient: User, *, now: datetime | None = None):
    """What the patient's medicines page lists: answerable and next doses."""
    now = now or timezone.now()
    return (
        Dose.objects.filter(
            schedule__patient=patient,
            schedule__stopped_at__isnull=True,
            due_at__gt=now - timedelta(days=1),
            due_at__lte=now + PLANNING_HORIZON,
        )
        .select_related("schedule__prescription")
        .order_by("due_at")
    )
