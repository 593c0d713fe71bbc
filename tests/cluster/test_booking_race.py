"""50 patients press "Book" for the same slot at once, spread over the three nodes."""

import threading
import uuid
from datetime import timedelta

import pytest
import requests
from django.utils import timezone

from tests.cluster.conftest import NODE_URLS, signed_in_cookies

RACERS = 50


@pytest.mark.usefixtures("cluster_db")
def test_fifty_simultaneous_bookings_of_one_slot_exactly_one_succeeds():
    from accounts.roles import Role
    from accounts.services import create_user
    from visits.models import Visit, VisitType
    from visits.services.slots import free_slots
    from visits.views.common import BOOKING_TYPE_SESSION_KEY

    visit_type = VisitType.objects.filter(is_active=True).first()
    slot = free_slots(
        visit_type=visit_type,
        start_date=(timezone.now() + timedelta(days=3)).date(),
        days=7,
    )[0]
    run = uuid.uuid4().hex[:6]
    cookies = [
        signed_in_cookies(
            create_user(
                username=f"race-{run}-{number}",
                email=f"race-{run}-{number}@example.org",
                password=None,
                full_name=f"Racer {number}",
                roles=[Role.PATIENT],
                email_verified=True,
            ),
            **{BOOKING_TYPE_SESSION_KEY: str(visit_type.uuid)},
        )
        for number in range(RACERS)
    ]
    nodes = list(NODE_URLS.values())
    barrier = threading.Barrier(RACERS)
    statuses: list[int] = []

    def book(number: int) -> None:
        url = nodes[number % len(nodes)] + "/visits/book/"
        barrier.wait()
        response = requests.post(
            url,
            data={
                "csrfmiddlewaretoken": cookies[number]["csrftoken"],
                "slot": f"{slot.clinician_uuid}|{slot.value}",
                "reason": "",
            },
            cookies=cookies[number],
            headers={"Referer": url},
            allow_redirects=False,
            timeout=60,
        )
        statuses.append(response.status_code)

    threads = [threading.Thread(target=book, args=(n,)) for n in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses) == [302] + [409] * (RACERS - 1), statuses
    booked = Visit.objects.active().filter(
        clinician_id=slot.clinician_id, start=slot.start
    )
    assert booked.count() == 1
    assert booked.get().patient.username.startswith(f"race-{run}-")
