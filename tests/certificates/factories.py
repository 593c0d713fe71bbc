"""Builders for certificates tests: completed enrolments with credit claims."""

import datetime
from decimal import Decimal

from django.utils import timezone

from courses.models import ActivityPage, CreditClaim, CreditType, Enrolment
from tests.courses import factories as course_factories


def default_activity():
    existing = ActivityPage.objects.filter(
        slug="hypertension-management-in-telehealth"
    ).first()
    return existing or course_factories.activity(lectures=0)


def claim(
    learner,
    *,
    activity=None,
    credit_type: str = CreditType.AMA_PRA_1,
    amount: str = "1.0",
    complete: bool = True,
    claimed_at: datetime.datetime | None = None,
) -> CreditClaim:
    activity = activity or default_activity()
    enrolment, _created = Enrolment.objects.get_or_create(
        learner=learner,
        activity=activity,
        defaults={
            "status": Enrolment.Status.COMPLETE
            if complete
            else Enrolment.Status.ENROLLED,
            "completed_at": timezone.now() if complete else None,
        },
    )
    return CreditClaim.objects.create(
        enrolment=enrolment,
        credit_type=credit_type,
        amount=Decimal(amount),
        claimed_at=claimed_at or timezone.now(),
    )
