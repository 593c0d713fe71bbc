from django.urls import path

from meetings.views import feeds, joining, pages, records

app_name = "meetings"

urlpatterns = [
    path("", pages.my_meetings, name="mine"),
    path("new/", pages.schedule, name="schedule"),
    path("calendar/", feeds.calendar_settings, name="calendar"),
    path("calendar/<str:secret>.ics", feeds.calendar_feed, name="calendar_feed"),
    path("guest/<str:token>/", joining.guest_join, name="guest_join"),
    path("jitsi/events/", feeds.jitsi_events, name="jitsi_events"),
    path("jitsi/events/<path:rest>", feeds.jitsi_events, name="jitsi_events_path"),
    path("<uuid:meeting_uuid>/", pages.detail, name="detail"),
    path("<uuid:meeting_uuid>/join/", joining.join, name="join"),
    path("<uuid:meeting_uuid>/cancel/", pages.cancel, name="cancel"),
    path("<uuid:meeting_uuid>/end/", pages.end, name="end"),
    path(
        "<uuid:meeting_uuid>/guests/<uuid:guest_uuid>/revoke/",
        pages.revoke_guest,
        name="revoke_guest",
    ),
    path(
        "<uuid:meeting_uuid>/sittings/<uuid:occurrence_uuid>/cancel/",
        pages.cancel_occurrence,
        name="cancel_occurrence",
    ),
    path(
        "<uuid:meeting_uuid>/sittings/<uuid:occurrence_uuid>/move/",
        pages.move_occurrence,
        name="move_occurrence",
    ),
    path(
        "<uuid:meeting_uuid>/sittings/<uuid:occurrence_uuid>/attendance/",
        records.attendance,
        name="attendance",
    ),
    path(
        "<uuid:meeting_uuid>/sittings/<uuid:occurrence_uuid>/minutes/",
        records.minutes,
        name="minutes",
    ),
    path(
        "<uuid:meeting_uuid>/actions/<uuid:action_uuid>/toggle/",
        records.toggle_action,
        name="toggle_action",
    ),
]
