"""50 patients press "Book" for the same slot at once, spread over the three nodes."""

import secrets
import string
import threading
import uuid
from datetime import timedelta

import pytest
import requests
from django.utils import timezone

from tests.cluster.conftest import NODE_URLS

RACERS = 50


def _signed_in_cookies(user, visit_type) -> dict:
    """A session as the sign-in view would leave it, written through the shared
    session store (Redis and the database) that every node reads."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from visits.views.common import BOOKING_TYPE_SESSION_KEY

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[BOOKING_TYPE_SESSION_KEY] = str(visit_type.uuid)
    session.save()
    csrf = "".join(secrets.choice(string.ascii_letters) for _ in range(32))
    return {"sessionid": session.session_key, "csrftoken": csrf}


@pytest.mark.usefixtures("cluster_db")
def test_fifty_simultaneous_bookings_of_one_slot_exactly_one_succeeds():
    from accounts.roles import Role
    from accounts.services import create_user
    from visits.models import Visit, VisitType
    from visits.services.slots import free_slots

    visit_type = VisitType.objects.filter(is_active=True).first()
    slot = free_slots(
        visit_type=visit_type,
        start_date=(timezone.now() + timedelta(days=3)).date(),
        days=7,
    )[0]
    run = uuid.uuid4().hex[:6]
    cookies = [
        _signed_in_cookies(
            create_user(
                username=f"race-{run}-{number}",
                email=f"race-{run}-{number}@example.org",
                password=None,
                full_name=f"Racer {number}",
                roles=[Role.PATIENT],
                email_verified=True,
            ),
            visit_type,
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
