"""What leaving closes in meetings: the calendar feed, guest links, Jitsi joins.

Called by accounts.leaving.deactivate_person through the person_deactivated
signal (connected in MeetingsConfig.ready), inside its transaction. Joins and new
Jitsi tokens are refused by join_context itself for an inactive person.
"""

from datetime import datetime

from django.db.models import Q
from django.utils.translation import ngettext

from accounts.models import User
from accounts.services import ClosedDoor, LeavingSteps
from meetings.models import CalendarFeed, Guest, Meeting, new_secret
from meetings.services.joining import revoke_guest_link


def close_meeting_doors(*, person: User, now: datetime) -> LeavingSteps:
    # A new secret (rather than deleting the feed) means a reactivated person gets
    # a fresh address; the old one, copied into someone's calendar app, stays dead.
    feeds = 0
    for feed in CalendarFeed.objects.filter(user=person):
        feed.secret = new_secret()
        feed.save(update_fields=["secret"])
        feeds += 1
    guests = Guest.objects.filter(
        meeting__organizer=person, revoked_at__isnull=True, expires_at__gt=now
    ).select_related("meeting")
    revoked = 0
    for guest in guests:
        revoke_guest_link(guest=guest)
        revoked += 1
    meetings = (
        Meeting.objects.filter(status=Meeting.Status.SCHEDULED)
        .filter(Q(organizer=person) | Q(co_hosts=person) | Q(invitees=person))
        .distinct()
        .count()
    )
    return LeavingSteps(
        doors=[
            ClosedDoor.counted(
                "calendar_feed",
                feeds,
                ngettext(
                    "%(count)d calendar feed address revoked.",
                    "%(count)d calendar feed addresses revoked.",
                    feeds,
                ),
            ),
            ClosedDoor.counted(
                "guest_links",
                revoked,
                ngettext(
                    "%(count)d guest link they created revoked.",
                    "%(count)d guest links they created revoked.",
                    revoked,
                ),
            ),
            ClosedDoor.counted(
                "meeting_joins",
                meetings,
                ngettext(
                    "Joining and new Jitsi tokens refused for %(count)d meeting.",
                    "Joining and new Jitsi tokens refused for %(count)d meetings.",
                    meetings,
                ),
            ),
        ]
    )
