"""The topics a device can choose. Apps name them when they notify; the
Notifications page (ops) offers each person the ones that fit their roles."""

VISIT_REMINDERS = "visit-reminders"
MEDICINE_REMINDERS = "medicine-reminders"
MEETING_REMINDERS = "meeting-reminders"
# Every public-health alert; ALERTS:<area slug> for one area's (cms.AlertArea).
ALERTS = "alerts"
