"""Bulk issuing on two task workers against one, same run, same machine.

A bulk run queues one task per chunk of 100 claims (certificates.services.
start_issuing_run), so chunks should spread over every worker. This script creates a
scratch PostgreSQL database `test_bench_certificates_workers` (the ORM broker and
row locks are what two workers share; SQLite would serialise them), two activities
with 2,000 completed claims each and a template with a logo and a signature, then:

- one worker: starts one `manage.py qcluster` (Q_WORKERS=1), issues a small warm-up
  run, then times one activity's run from `start_issuing_run` until the run is
  finished and every learner's email is queued (polled every 50 ms; the email
  sweeps that chunks queue share the workers, and may run before or after the
  last chunk, so only the whole job compares fairly);
- two workers: the same with two such processes and the other activity.

Each phase first waits until the warm-up's tasks are done, and drops whatever its
timed run left queued (mostly mail outbox tasks, one per certificate email), so no
phase runs the other's tasks.

Both runs are checked: every claim issued, exactly one certificate each.

    .venv/bin/python bench/bench_certificates_workers.py [--count 2000]

Prints `RATIO certificates_bulk_two_workers_vs_one: <one worker's seconds / two
workers' seconds>` until the run is finished (every certificate issued), target at
least 1.6 on the 2-core machine, and the same ratio until every email is queued.
BENCH_QUICK=1 (CI): 20 claims in chunks of 5, only to prove it still runs; its
figure means nothing.
"""

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
QUICK = os.environ.get("BENCH_QUICK") == "1"
os.environ.setdefault(
    "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_certificates_workers"
)


def _environment(folder: str) -> dict:
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "VAR_DIR": folder,
        "MEDIA_ROOT": str(Path(folder) / "media"),
        "EMAIL_URL": "locmem://",
        "LOG_LEVEL": "WARNING",
        "DEBUG": "1",
    }


def _activities(count: int, names: list[str]) -> dict:
    """An activity per name with `count` completed claims each."""
    from tests.courses.factories import activity as make_activity
    from tests.courses.factories import completed_claims

    made = {}
    for name in names:
        activity = make_activity(f"Workers bench {name}", slug=f"w-{name}", lectures=0)
        made[name] = (activity, completed_claims(activity, count, prefix=name))
    return made


def _issue(activity, claims, *, chunk_size: int, timeout: float) -> tuple:
    """Seconds from starting a run to its finish, and to every learner's email
    queued (the sweeps each chunk queues share the workers); checks the run."""
    from django.db.models import Count

    from certificates.models import Certificate, IssuingRun
    from certificates.services import start_issuing_run

    started = time.perf_counter()
    run = start_issuing_run(activity=activity, claims=claims, chunk_size=chunk_size)
    unmailed = Certificate.objects.filter(claim__in=claims, email_sent_at=None)
    finished = None
    while finished is None or unmailed.exists():
        if time.perf_counter() - started > timeout:
            raise SystemExit(f"run stuck at {run.done}/{run.total}")
        time.sleep(0.05)
        if finished is None:
            run.refresh_from_db()
            if run.status == IssuingRun.Status.FINISHED:
                finished = time.perf_counter() - started
    seconds = time.perf_counter() - started
    per_claim = (
        Certificate.objects.filter(claim__in=claims)
        .values("claim")
        .annotate(n=Count("id"))
    )
    if run.issued != len(claims) or {row["n"] for row in per_claim} != {1}:
        raise SystemExit(f"issued {run.issued} of {len(claims)}, or some twice")
    if per_claim.count() != len(claims):
        raise SystemExit("some claims got no certificate")
    return finished, seconds


def _drain_queue(*, timeout: float) -> None:
    """Wait until the workers have done every queued task (the warm-up's email
    sweeps and mail outbox runs), so that none runs alongside the timed chunks."""
    from django_q.models import OrmQ

    started = time.perf_counter()
    while OrmQ.objects.exists():
        if time.perf_counter() - started > timeout:
            raise SystemExit("the warm-up's tasks were never done")
        time.sleep(0.05)


def _timed_with_workers(
    workers: int, env: dict, warm, timed, *, chunk_size: int
) -> tuple[float, float, list[str]]:
    processes = [
        subprocess.Popen(  # noqa: S603
            [sys.executable, str(ROOT / "manage.py"), "qcluster"],
            cwd=ROOT,
            env={**env, "Q_WORKERS": "1", "NODE_NAME": f"bench-worker{n + 1}"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        for n in range(workers)
    ]
    try:
        # A warm-up run of one chunk per worker loads fonts and imports everywhere.
        _issue(*warm, chunk_size=max(1, len(warm[1]) // workers), timeout=300)
        _drain_queue(timeout=300)
        finished, mailed = _issue(*timed, chunk_size=chunk_size, timeout=3600)
        from certificates.models import IssuingChunk

        chunks = IssuingChunk.objects.filter(run__activity=timed[0])
        who = sorted({chunk.worker for chunk in chunks})
        took = [(c.finished_at - c.started_at).total_seconds() for c in chunks]
        print(
            f"  {workers} worker(s): {len(took)} chunks, "
            f"{sum(took) / len(took):.2f} s each on average, max {max(took):.2f} s",
            flush=True,
        )
        return finished, mailed, who
    finally:
        for process in processes:
            os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        # Every certificate email queued stores a message, and each storing
        # transaction queues a mail outbox task (ops.apps): hundreds are still
        # queued when the timing stops. Left there, the next phase's workers run
        # them alongside its chunks, which then took 2.3 s instead of 1.3 s.
        from django_q.models import OrmQ

        OrmQ.objects.all().delete()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=20 if QUICK else 2000)
    parser.add_argument("--chunk-size", type=int, default=5 if QUICK else 100)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="bench-certificates-workers-")
    os.environ.update(_environment(folder))
    sys.path[:0] = [str(ROOT), str(HERE)]
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection, connections

    if not settings.USING_POSTGRES:
        print("this bench needs PostgreSQL: set DATABASE_URL.", file=sys.stderr)
        return 2
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
        env = {
            **os.environ,
            "DATABASE_URL": f"{base}/{settings.DATABASES['default']['NAME']}",
            "PYTHONPATH": str(ROOT),
        }
        warm = max(2, args.count // 100)
        from bench_certificates_bulk import default_template_with_images

        default_template_with_images("Workers benchmark")
        made = _activities(args.count, ["one", "two"])
        warmups = _activities(warm, ["warmone", "warmtwo"])
        one, one_mailed, one_who = _timed_with_workers(
            1, env, warmups["warmone"], made["one"], chunk_size=args.chunk_size
        )
        two, two_mailed, two_who = _timed_with_workers(
            2, env, warmups["warmtwo"], made["two"], chunk_size=args.chunk_size
        )
    finally:
        connections.close_all()
        connection.creation.destroy_test_db(old_name, verbosity=0)
    for label, finished, mailed, who in [
        ("one worker", one, one_mailed, one_who),
        ("two workers", two, two_mailed, two_who),
    ]:
        print(
            f"{label}: {args.count} certificates issued in {finished:.1f} s "
            f"({1000 * finished / args.count:.1f} ms each), every email queued "
            f"after {mailed:.1f} s; chunks by {', '.join(who)}"
        )
    if len(two_who) != 2 and not QUICK:
        raise SystemExit("the two-worker run did not use both workers")
    # Issuing is what the chunks spread; the email sweeps after the last chunk do
    # not spread yet (bench/README.md), so they get a line of their own.
    print(f"RATIO certificates_bulk_two_workers_vs_one: {one / two:.2f}")
    mail_ratio = one_mailed / two_mailed
    print(f"RATIO certificates_bulk_and_mail_two_workers_vs_one: {mail_ratio:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
