"""Credit claims with the accreditation rules, and the credit_claimed signal.

Called by courses' claim view and demo. claim_credit checks every rule in
claim_refusal (each with its own message), stores the claim, completes the
enrolment and sends courses.signals.credit_claimed once, after commit.
"""

import datetime
import math
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import CreditClaim, Enrolment
from courses.models.credit import CREDIT_RULES, QUARTER, format_amount
from courses.services.errors import CourseRuleError
from courses.services.post_test import has_passed, has_post_test, lectures_complete
from courses.signals import credit_claimed
from meetings.models import Meeting
from meetings.services import attendance_minutes


def quarter_hours_floor(minutes: int) -> Decimal:
    """Minutes present, rounded down to the quarter hour, as hours."""
    return Decimal(math.floor(minutes / 15)) * QUARTER


def attended_minutes(enrolment: Enrolment) -> int:
    """Minutes present in the activity's meetings (all sittings), from meetings."""
    return sum(
        attendance_minutes(meeting=meeting, user=enrolment.learner)
        for meeting in Meeting.objects.filter(cme_activity_uuid=enrolment.activity.uuid)
    )


def live_cap(enrolment: Enrolment) -> Decimal | None:
    """The most a live activity's learner can claim, from evidence of attendance.

    Attendance minutes (meetings) rounded down to the quarter hour. A code word
    confirmed during the session window stands in for the whole session when the
    room did not record the learner (in person, or a phone dial-in). None for
    activities that are not live.
    """
    activity = enrolment.activity
    if not activity.is_live:
        return None
    minutes = attended_minutes(enrolment)
    if enrolment.code_word_confirmed_at:
        starts, ends = activity.session_starts_at, activity.session_ends_at
        minutes = max(minutes, int((ends - starts).total_seconds() // 60))
    return quarter_hours_floor(minutes)


def eligible_credit_types(enrolment: Enrolment) -> list[str]:
    """The credit types this learner may claim on this activity, by profession
    (CREDIT_RULES)."""
    profession = enrolment.learner.profession
    types = []
    for designation in enrolment.activity.designations.all():
        allowed = CREDIT_RULES[designation.credit_type].professions
        if allowed is None or profession in allowed:
            types.append(designation.credit_type)
    return types


def allowed_amounts(enrolment: Enrolment, credit_type: str) -> list[Decimal]:
    """The amounts a learner can pick for one credit type, smallest first: steps of
    0.25 up to the designated maximum (and the attendance cap of a live activity);
    a maximum that is not a quarter step (nursing hours in hundredths) is offered
    as it is, so the full credit is always one of the choices."""
    designation = next(
        (
            d
            for d in enrolment.activity.designations.all()
            if d.credit_type == credit_type
        ),
        None,
    )
    if designation is None:
        return []
    top = designation.max_amount
    cap = live_cap(enrolment)
    if cap is not None:
        top = min(top, cap)
    steps = [QUARTER * n for n in range(1, int(top / QUARTER) + 1)]
    if top > 0 and (not steps or steps[-1] != top):
        if CREDIT_RULES[credit_type].step != QUARTER:
            steps.append(top)
    return steps


def parse_amount(raw: str) -> Decimal:
    try:
        amount = Decimal(str(raw).strip())
    except InvalidOperation:
        raise CourseRuleError(
            "amount_not_a_number", _("Enter the credit as a number, such as 0.75.")
        ) from None
    if not amount.is_finite():
        raise CourseRuleError(
            "amount_not_a_number", _("Enter the credit as a number, such as 0.75.")
        )
    return amount


def claim_refusal(
    *,
    enrolment: Enrolment,
    credit_type: str,
    amount: Decimal,
    attested: bool,
    today: datetime.date | None = None,
) -> CourseRuleError | None:
    """The first rule this claim breaks, or None when it may be granted."""
    activity = enrolment.activity
    if activity.is_terminated(on=today):
        return CourseRuleError(
            "terminated",
            _(
                "Credit for this activity is no longer available: it terminated on "
                "%(date)s. You can still view its content."
            )
            % {"date": activity.termination_date.isoformat()},
        )
    designation = next(
        (d for d in activity.designations.all() if d.credit_type == credit_type), None
    )
    if designation is None:
        return CourseRuleError(
            "not_designated", _("This activity does not offer that kind of credit.")
        )
    if credit_type not in eligible_credit_types(enrolment):
        return CourseRuleError(
            "profession",
            _(
                "%(credit)s can only be claimed by the professions it is designated "
                "for. Please claim participation credit instead."
            )
            % {"credit": designation.get_credit_type_display()},
        )
    if not lectures_complete(enrolment):
        return CourseRuleError(
            "lectures_incomplete",
            _("Complete every lecture before claiming credit."),
        )
    if has_post_test(enrolment) and not has_passed(enrolment):
        return CourseRuleError(
            "not_passed", _("Pass the post-test before claiming credit.")
        )
    if not hasattr(enrolment, "evaluation"):
        return CourseRuleError(
            "not_evaluated", _("Complete the evaluation before claiming credit.")
        )
    if not attested:
        return CourseRuleError(
            "not_attested",
            _("Confirm that the amount claimed reflects your participation."),
        )
    if amount <= 0:
        return CourseRuleError("amount_not_positive", _("Claim more than zero credit."))
    if CREDIT_RULES[credit_type].step == QUARTER and amount % QUARTER != 0:
        return CourseRuleError(
            "quarter_steps",
            _(
                "Credit is claimed in steps of 0.25 (for example 0.5, 0.75 or 1.0); "
                "%(amount)s is not one of them."
            )
            % {"amount": amount},
        )
    if amount > designation.max_amount:
        return CourseRuleError(
            "above_maximum",
            _(
                "%(amount)s is more than this activity's maximum of %(max)s. Claim at "
                "most %(max)s."
            )
            % {"amount": amount, "max": format_amount(designation.max_amount)},
        )
    cap = live_cap(enrolment)
    if cap is not None and amount > cap:
        return CourseRuleError(
            "above_attendance",
            _(
                "Your recorded attendance supports at most %(cap)s for this live "
                "activity (minutes present, rounded down to the quarter hour)."
            )
            % {"cap": format_amount(cap)},
        )
    if enrolment.claims.filter(credit_type=credit_type).exists():
        return CourseRuleError(
            "already_claimed",
            _("You have already claimed this kind of credit for this activity."),
            status=409,
        )
    return None


@transaction.atomic
def claim_credit(
    *,
    enrolment: Enrolment,
    credit_type: str,
    amount: Decimal,
    attested: bool,
    now: datetime.datetime | None = None,
) -> CreditClaim:
    """Grant the claim, complete the enrolment and announce it after commit."""
    now = now or timezone.now()
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    today = timezone.localdate(now, timezone=enrolment.activity.zone)
    refusal = claim_refusal(
        enrolment=enrolment,
        credit_type=credit_type,
        amount=amount,
        attested=attested,
        today=today,
    )
    if refusal:
        raise refusal
    claim = CreditClaim.objects.create(
        enrolment=enrolment, credit_type=credit_type, amount=amount, claimed_at=now
    )
    if not enrolment.is_complete:
        enrolment.status = Enrolment.Status.COMPLETE
        enrolment.completed_at = now
        enrolment.save(update_fields=["status", "completed_at"])
    transaction.on_commit(lambda: credit_claimed.send(sender=CreditClaim, claim=claim))
    return claim
