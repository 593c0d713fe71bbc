from django.urls import path

from meetings import views

app_name = "meetings"

urlpatterns = [
    path("", views.my_meetings, name="mine"),
    path("new/", views.schedule, name="schedule"),
    path("calendar/", views.calendar_settings, name="calendar"),
    path("calendar/<str:secret>.ics", views.calendar_feed, name="calendar_feed"),
    path("guest/<str:token>/", views.guest_join, name="guest_join"),
    path("jitsi/events/", views.jitsi_events, name="jitsi_events"),
    path("jitsi/events/<path:rest>", views.jitsi_events, name="jitsi_events_path"),
    path("<uuid:meeting_uuid>/", views.detail, name="detail"),
    path("<uuid:meeting_uuid>/join/", views.join, name="join"),
    path("<uuid:meeting_uuid>/cancel/", views.cancel, name="cancel"),
    path("<uuid:meeting_uuid>/end/", views.end, name="end"),
    path(
        "<uuid:meeting_uuid>/guests/<uuid:guest_uuid>/revoke/",
        views.revoke_guest,
        name="revoke_guest",
    ),
    path(
        "<uuid:meeting_uuid>/sittings/<uuid:occurrence_uuid>/cancel/",
        views.cancel_occurrence,
        name="cancel_occurrence",
    ),
    path(
        "<uuid:meeting_uuid>/sittings/<uuid:occurrence_uuid>/move/",
        views.move_occurrence,
        name="move_occurrence",
    ),
    path(
        "<uuid:meeting_uuid>/sittings/<uuid:occurrence_uuid>/attendance/",
        views.attendance,
        name="attendance",
    ),
    path(
        "<uuid:meeting_uuid>/sittings/<uuid:occurrence_uuid>/minutes/",
        views.minutes,
        name="minutes",
    ),
    path(
        "<uuid:meeting_uuid>/actions/<uuid:action_uuid>/toggle/",
        views.toggle_action,
        name="toggle_action",
    ),
]
