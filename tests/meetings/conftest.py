"""Meetings fixtures: Jitsi settings with a known secret, and a meeting factory."""

from datetime import UTC, datetime

import pytest

from meetings import services
from meetings.models import Meeting

APP_ID = "telecampus"
APP_SECRET = "test-secret-with-at-least-32-bytes-of-entropy!"
# Five minutes before the default meeting starts (inside its join window).
NOW = datetime(2026, 6, 10, 14, 55, tzinfo=UTC)


@pytest.fixture(autouse=True)
def jitsi_settings(settings):
    settings.JITSI_DOMAIN = "meet.example.org"
    settings.JITSI_XMPP_DOMAIN = "meet.example.org"
    settings.JITSI_APP_ID = APP_ID
    settings.JITSI_APP_SECRET = APP_SECRET
    settings.JITSI_PRIVATE_KEY = ""
    settings.JITSI_KID = ""
    settings.JITSI_TENANT = ""
    settings.JITSI_WEBHOOK_SECRET = "webhook-secret"
    settings.JITSI_EARLY_JOIN_MINUTES = 10
    settings.JITSI_RECONNECT_GRACE_MINUTES = 30
    settings.MEETINGS_REMINDER_OFFSETS_MINUTES = [1440, 15]
    settings.BASE_URL = "https://portal.example.org"
    return settings


@pytest.fixture
def make_meeting(meeting_admin):
    def make(**overrides) -> Meeting:
        fields = {
            "organizer": meeting_admin,
            "kind": Meeting.Kind.ADMINISTRATIVE,
            "title": "Quality committee",
            "start": datetime(2026, 6, 10, 15, 0, tzinfo=UTC),
            "duration_minutes": 60,
            "time_zone": "America/New_York",
        }
        fields.update(overrides)
        return services.schedule_meeting(**fields)

    return make
