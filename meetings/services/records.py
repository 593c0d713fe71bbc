"""Minutes, action items and personal calendar feeds.

Called by the meeting detail views and the feed view.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.services import Refusal
from meetings import ics
from meetings.models import (
    LATEST_DAYS_AHEAD,
    ActionItem,
    CalendarFeed,
    Meeting,
    Minutes,
    Occurrence,
)
from meetings.services.joining import join_page_url


class RecordsNotAllowed(Refusal):
    """Minutes and action items are refused for confidential kinds: free-text
    clinical discussion belongs in visits/, not in meetings. The message is the
    meeting's kind."""

    code = "records_not_allowed"
    status = 403


def _check_recordable(occurrence: Occurrence) -> None:
    if not occurrence.meeting.kind_rule.records_allowed:
        raise RecordsNotAllowed(occurrence.meeting.kind)


@transaction.atomic
def save_minutes(*, occurrence: Occurrence, author, text: str) -> Minutes:
    _check_recordable(occurrence)
    minutes, _created = Minutes.objects.update_or_create(
        occurrence=occurrence, defaults={"text": text, "updated_by": author}
    )
    return minutes


@transaction.atomic
def add_action_item(
    *, occurrence: Occurrence, description: str, owner, due_date=None
) -> ActionItem:
    _check_recordable(occurrence)
    item = ActionItem(
        occurrence=occurrence, description=description, owner=owner, due_date=due_date
    )
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def set_action_done(*, item: ActionItem, done: bool) -> ActionItem:
    _check_recordable(item.occurrence)
    item.done = done
    item.save(update_fields=["done"])
    return item


def feed_for(user) -> CalendarFeed:
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


@transaction.atomic
def regenerate_feed_secret(*, user) -> CalendarFeed:
    """A new secret: the old feed URL stops working at once."""
    feed = feed_for(user)
    feed.secret = CalendarFeed._meta.get_field("secret").get_default()
    feed.save(update_fields=["secret", "created_at"])
    return feed


def feed_calendar(*, user) -> bytes:
    """The person's upcoming sittings as an iCalendar feed (public titles only)."""
    now = timezone.now()
    since = now - timedelta(days=1)
    # Nothing legitimately lies beyond the entry window; junk stored before it
    # existed stays out of the feed.
    until = now + timedelta(days=2 * LATEST_DAYS_AHEAD)
    occurrences = (
        Occurrence.objects.active()
        .filter(
            start__gte=since,
            start__lt=until,
            meeting__in=Meeting.objects.visible_to(user).on_portal().values("pk"),
        )
        .select_related("meeting", "meeting__organizer")
        .order_by("start")[:500]
    )
    return ics.feed(occurrences=occurrences, join_url_for=join_page_url)
