"""The meetings app's public write API; other apps import from here only.

Scheduling (schedule_meeting, create_visit_room, moves and cancellations), joining
(join_context, JoinRefused, end_meeting, guest links), invitations, reminders,
attendance (attendance_minutes) and records (minutes, actions, calendar feeds);
jitsi_tokens_enabled says whether meetings mint Jitsi tokens (ops' health check).
Callers: meetings' views, forms, admin, commands, tasks and demo; visits; courses.
"""

from meetings.jitsi import tokens_enabled as jitsi_tokens_enabled
from meetings.services.attendance import (
    attendance_minutes,
    attendance_report,
    record_room_event,
)
from meetings.services.invitations import recipients as invitation_recipients
from meetings.services.joining import (
    Ended,
    JoinContext,
    JoinRefused,
    NotInvited,
    TooEarly,
    end_meeting,
    guest_from_link,
    guest_join_context,
    guest_link,
    join_context,
    join_page_url,
    open_room_now,
    record_portal_join,
    revoke_guest_link,
)
from meetings.services.records import (
    RecordsNotAllowed,
    add_action_item,
    feed_calendar,
    feed_for,
    regenerate_feed_secret,
    save_minutes,
    set_action_done,
)
from meetings.services.reminders import sweep_reminders
from meetings.services.scheduling import (
    SchedulingConflicts,
    cancel_meeting,
    cancel_occurrence,
    create_visit_room,
    find_conflicts,
    move_meeting,
    move_occurrence,
    schedule_meeting,
)

__all__ = [
    "Ended",
    "JoinContext",
    "JoinRefused",
    "NotInvited",
    "RecordsNotAllowed",
    "SchedulingConflicts",
    "TooEarly",
    "add_action_item",
    "attendance_minutes",
    "attendance_report",
    "cancel_meeting",
    "cancel_occurrence",
    "create_visit_room",
    "end_meeting",
    "feed_calendar",
    "feed_for",
    "find_conflicts",
    "guest_from_link",
    "guest_join_context",
    "guest_link",
    "invitation_recipients",
    "join_context",
    "jitsi_tokens_enabled",
    "join_page_url",
    "move_meeting",
    "move_occurrence",
    "open_room_now",
    "record_portal_join",
    "record_room_event",
    "regenerate_feed_secret",
    "revoke_guest_link",
    "save_minutes",
    "schedule_meeting",
    "set_action_done",
    "sweep_reminders",
]
