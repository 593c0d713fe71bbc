import datetime

import pytest
from django_q.models import Schedule
from wagtail.models import Revision

from cms import tasks
from cms.models import ArticlePage
from cms.setup import PUBLISH_SCHEDULED_SCHEDULE, REVIEW_REMINDER_SCHEDULE
from ops.services import install_schedules
from tests.cms.factories import make_article, make_topic

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)


@pytest.fixture
def overdue(reviewer, editor):
    return make_article(
        topic=make_topic(),
        title="Keeping your eyes healthy",
        reviewed_by=reviewer,
        last_reviewed=datetime.date(2025, 5, 1),
    )


def test_one_reminder_per_page_per_review_cycle(
    overdue, reviewer, editor, mailoutbox, time_machine
):
    time_machine.move_to(datetime.datetime(2026, 6, 1, 12, tzinfo=datetime.UTC))
    assert tasks.send_review_reminders_task() == 1
    assert sorted(m.to[0] for m in mailoutbox) == [editor.email, reviewer.email]
    assert mailoutbox[0].subject == "Clinical review due: Keeping your eyes healthy"
    assert "was due for clinical review on Fri 1 May 2026" in mailoutbox[0].body
    assert overdue.url in mailoutbox[0].body

    # The daily task runs again (the next day, or twice by accident): no new email.
    assert tasks.send_review_reminders_task() == 0
    time_machine.move_to(datetime.datetime(2026, 6, 2, 12, tzinfo=datetime.UTC))
    assert tasks.send_review_reminders_task() == 0
    assert len(mailoutbox) == 2


def test_a_new_review_starts_a_new_cycle(overdue, mailoutbox, time_machine):
    time_machine.move_to(datetime.datetime(2026, 6, 1, 12, tzinfo=datetime.UTC))
    tasks.send_review_reminders_task()
    page = ArticlePage.objects.get(pk=overdue.pk)
    page.last_reviewed = datetime.date(2026, 6, 1)
    page.next_review_due = None
    page.save_revision().publish()
    assert ArticlePage.objects.get(pk=overdue.pk).next_review_due == datetime.date(
        2027, 6, 1
    )
    mailoutbox.clear()
    time_machine.move_to(datetime.datetime(2027, 6, 5, 12, tzinfo=datetime.UTC))
    assert tasks.send_review_reminders_task() == 1
    assert len(mailoutbox) == 2


def test_republishing_an_old_revision_does_not_resend(
    overdue, mailoutbox, time_machine
):
    old_revision_id = overdue.latest_revision_id
    time_machine.move_to(datetime.datetime(2026, 6, 1, 12, tzinfo=datetime.UTC))
    tasks.send_review_reminders_task()
    # As the admin's "revisions" screen does: load the revision fresh and publish it.
    Revision.objects.get(pk=old_revision_id).publish()
    assert tasks.send_review_reminders_task() == 0
    assert len(mailoutbox) == 2


def test_pages_not_yet_due_and_drafts_get_no_reminder(reviewer, mailoutbox):
    topic = make_topic()
    make_article(topic=topic, reviewed_by=reviewer, last_reviewed=TODAY)
    make_article(
        topic=topic,
        live=False,
        reviewed_by=reviewer,
        last_reviewed=datetime.date(2020, 1, 1),
    )
    assert tasks.send_review_reminders_task() == 0
    assert mailoutbox == []


def test_schedules_are_created_once():
    install_schedules()
    install_schedules()
    reminders = Schedule.objects.get(name=REVIEW_REMINDER_SCHEDULE)
    assert reminders.func == "cms.tasks.send_review_reminders_task"
    assert reminders.schedule_type == Schedule.DAILY
    assert Schedule.objects.filter(name=PUBLISH_SCHEDULED_SCHEDULE).count() == 1
