from zoneinfo import ZoneInfo

import time_machine

from accounts import demo as accounts_demo
from meetings import demo
from meetings.models import Meeting
from tests.meetings.conftest import NOW


@time_machine.travel(NOW, tick=False)
def test_demo_builds_three_meetings_once(db):
    accounts_demo.seed()
    lines = demo.seed()
    assert len(lines) == 3
    assert demo.seed() == ["demo meetings already present"]
    assert Meeting.objects.count() == 3

    weekly = Meeting.objects.get(title=demo.DEPARTMENT_TITLE)
    zone = ZoneInfo(weekly.time_zone)
    starts = [o.start for o in weekly.occurrences.order_by("start")]
    assert {s.astimezone(zone).strftime("%a %H:%M") for s in starts} == {"Mon 09:00"}
    assert len({s.astimezone(zone).utcoffset() for s in starts}) == 2

    care = Meeting.objects.get(kind=Meeting.Kind.CARE_COORDINATION)
    assert care.invitees.filter(username="specialist").exists()
    assert care.guests.count() == 1

    lecture = Meeting.objects.get(kind=Meeting.Kind.LECTURE)
    assert lecture.title == demo.GRAND_ROUNDS_TITLE
