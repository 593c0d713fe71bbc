"""Jitsi token minting per second: a full join_context against a bare jwt.encode.

Builds a throwaway SQLite database in a temp dir, schedules one open meeting through
the real service and mints tokens for 3 seconds each way.
Prints `RATIO meetings_join_context_vs_bare_jwt: <join/s over bare/s>`.
"""

import os
import sys
import time
from datetime import timedelta

from in_process import start_django

TMP = start_django(
    "bench-meetings-",
    database_from_env=False,
    JITSI_APP_ID="bench",
    JITSI_APP_SECRET="bench-secret-that-is-at-least-32-bytes-long",  # noqa: S106
)

import jwt  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.services import create_user  # noqa: E402
from meetings import jitsi  # noqa: E402
from meetings.services import join_context, schedule_meeting  # noqa: E402

# BENCH_QUICK=1 (CI) measures a moment only, to prove the script still runs.
SECONDS = 0.2 if os.environ.get("BENCH_QUICK") == "1" else 3.0
MAX_LOOPS = 1_000_000


def rate(action) -> float:
    done, started = 0, time.perf_counter()
    while time.perf_counter() - started < SECONDS and done < MAX_LOOPS:
        action()
        done += 1
    return done / (time.perf_counter() - started)


def main() -> int:
    call_command("migrate", verbosity=0)
    host = create_user(
        username="host", email="h@bench.example", password=None, full_name="Host"
    )
    meeting = schedule_meeting(
        organizer=host,
        kind="administrative",
        title="Bench",
        start=timezone.now() + timedelta(minutes=5),
        duration_minutes=60,
        time_zone="UTC",
        send_invitations=False,
    )
    participant = jitsi.Participant("id", "Host", "h@bench.example", True)
    now = timezone.now()

    def bare() -> None:
        jwt.encode(
            {"room": "x", "aud": "jitsi"},
            "bench-secret-that-is-at-least-32-bytes-long",
            algorithm="HS256",
        )

    def mint() -> None:
        jitsi.mint_token(
            room=meeting.room_slug,
            participant=participant,
            not_before=now,
            expires=now + timedelta(hours=1),
            enabled_features=jitsi.features(
                recording=False, livestreaming=False, transcription=False
            ),
        )

    def full() -> None:
        join_context(meeting=meeting, user=host)

    bare_rate, mint_rate, full_rate = rate(bare), rate(mint), rate(full)
    print(f"bare jwt.encode: {bare_rate:,.0f}/s")
    print(f"jitsi.mint_token: {mint_rate:,.0f}/s")
    print(f"join_context (invitation check, window, token): {full_rate:,.0f}/s")
    print(f"RATIO meetings_join_context_vs_bare_jwt: {full_rate / bare_rate:.3f}")
    print(f"RATIO meetings_mint_token_vs_bare_jwt: {mint_rate / bare_rate:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
