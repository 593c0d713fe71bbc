"""Races for the PostgreSQL concurrency proofs: real threads, released together."""

import threading
from collections.abc import Callable, Sequence

from django.db import connection


def run_at_once(calls: Sequence[Callable[[], object]]) -> list:
    """Run each call in its own thread (so with its own database connection), all
    released at once by a barrier; return their results in order. An exception in
    any thread fails the test here, so a race cannot pass by crashing."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)
    errors: list[Exception] = []

    def run(index: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(index, call))
        for index, call in enumerate(calls)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return results
