"""Demo meetings, built through the real services (seed_demo calls seed())."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import User
from accounts.services import Role
from meetings import services
from meetings.models import Meeting
from meetings.recurrence import localize

DEPARTMENT_TITLE = "Department of Medicine weekly meeting"
CARE_TITLE = "Care coordination: shared care plan review"
GRAND_ROUNDS_TITLE = "Medicine Grand Rounds: heart failure update"
ZONE = "America/New_York"


def _next_weekday(today: date, weekday: int) -> date:
    return today + timedelta(days=(weekday - today.weekday()) % 7 or 7)


def _weeks_past_next_clock_change(first: date) -> int:
    """Enough weekly sittings to cross the next daylight saving change, plus three."""
    zone = ZoneInfo(ZONE)
    offset = datetime.combine(first, time(9), tzinfo=zone).utcoffset()
    for week in range(1, 60):
        day = first + timedelta(weeks=week)
        if datetime.combine(day, time(9), tzinfo=zone).utcoffset() != offset:
            return week + 3
    return 12


def _existing(title: str, organizer: User) -> Meeting | None:
    return Meeting.objects.filter(title=title, organizer=organizer).first()


def seed() -> list[str]:
    people = {
        u.username: u
        for u in User.objects.filter(
            username__in=[
                "meetingadmin",
                "clinician",
                "nurse",
                "specialist",
                "coordinator",
                "reviewer",
            ]
        )
    }
    if len(people) < 6:
        return ["skipped: the accounts personas are missing"]
    lines = []
    today = timezone.now().astimezone(ZoneInfo(ZONE)).date()

    department = _existing(DEPARTMENT_TITLE, people["meetingadmin"])
    if department is None:
        first = _next_weekday(today, 0)
        weeks = _weeks_past_next_clock_change(first)
        department = services.schedule_meeting(
            organizer=people["meetingadmin"],
            kind=Meeting.Kind.ADMINISTRATIVE,
            title=DEPARTMENT_TITLE,
            agenda="1. Service updates\n2. Rota\n3. Quality and safety",
            start=localize(first, time(9), ZONE),
            duration_minutes=60,
            time_zone=ZONE,
            recurrence_rule=f"FREQ=WEEKLY;COUNT={weeks}",
            co_hosts=[people["clinician"]],
            invitees=[people["nurse"], people["reviewer"]],
            groups=Group.objects.filter(name=Role.CLINICIAN.value),
        )
        lines.append(
            f"weekly department meeting, {weeks} Mondays across a clock change"
        )

    if _existing(CARE_TITLE, people["clinician"]) is None:
        day = today + timedelta(days=2)
        services.schedule_meeting(
            organizer=people["clinician"],
            kind=Meeting.Kind.CARE_COORDINATION,
            title=CARE_TITLE,
            start=localize(day, time(14), ZONE),
            duration_minutes=30,
            time_zone=ZONE,
            invitees=[people["specialist"], people["nurse"]],
            guest_emails=["community.physio@example.net"],
        )
        lines.append("care coordination with specialist and an outside guest")

    if _existing(GRAND_ROUNDS_TITLE, people["coordinator"]) is None:
        day = _next_weekday(today, 3)
        services.schedule_meeting(
            organizer=people["coordinator"],
            kind=Meeting.Kind.LECTURE,
            title=GRAND_ROUNDS_TITLE,
            agenda="Guideline changes and case discussion.",
            start=localize(day, time(12), ZONE),
            duration_minutes=60,
            time_zone=ZONE,
            co_hosts=[people["reviewer"]],
            groups=Group.objects.filter(name=Role.CLINICIAN.value),
            recording_enabled=True,
        )
        lines.append("grand rounds (courses links it to the CME series by its uuid)")

    return lines or ["demo meetings already present"]
