"""Two qcluster workers (worker1, worker2) share one queue in PostgreSQL."""

import time
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone


def _wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.5)


@pytest.mark.usefixtures("cluster_db")
def test_two_workers_sweeping_at_once_send_each_reminder_exactly_once():
    from django_q.models import OrmQ
    from django_q.tasks import async_task, fetch
    from post_office.models import Email

    from accounts.models import User
    from accounts.roles import Role
    from accounts.services import create_user
    from visits.models import VisitType
    from visits.services.booking import book_visit
    from visits.services.slots import free_slots
    from visits.tasks import SWEEPER_FUNC

    patient = create_user(
        username=f"reminded-{uuid.uuid4().hex[:6]}",
        email=f"reminded-{uuid.uuid4().hex[:6]}@example.org",
        password=None,
        full_name="Rita Reminded",
        roles=[Role.PATIENT],
        email_verified=True,
    )
    visit_type = VisitType.objects.filter(is_active=True).first()
    soon = [
        slot
        for slot in free_slots(
            visit_type=visit_type, start_date=timezone.now().date(), days=2
        )
        if slot.start <= timezone.now() + timedelta(hours=20)
    ]
    if not soon:
        pytest.skip("no free slot within the reminder window at this hour")
    slot = soon[0]
    visit = book_visit(
        patient=patient,
        clinician=User.objects.get(pk=slot.clinician_id),
        visit_type=visit_type,
        start=slot.start,
    )
    reminders = Email.objects.filter(
        to__contains=patient.email, subject__startswith="Reminder:"
    )
    assert not reminders.exists()

    # Several sweeps at once, for both workers to pick up.
    task_ids = [async_task(SWEEPER_FUNC, sync=False) for _ in range(6)]
    _wait_for(
        lambda: all(fetch(task_id) is not None for task_id in task_ids),
        90,
        "the sweeps to run",
    )
    _wait_for(
        reminders.exists,
        60,
        "the reminder",
    )
    _wait_for(lambda: not OrmQ.objects.exists(), 60, "the queue to empty")

    visit.refresh_from_db()
    assert visit.reminder_sent_at is not None
    assert reminders.count() == 1
