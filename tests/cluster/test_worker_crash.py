"""A worker killed (`kill -9`) while it holds a bulk-issuing chunk: the run still
finishes, every claim gets exactly one certificate and the bucket keeps no file
without one. Runs last (file name) and starts the worker again at the end."""

import logging
import os
import time
import uuid

import boto3
import pytest

from cluster.cluster import BUCKET, WORKERS, kill_worker, restart_worker

CLAIMS = 1000
# The killed worker's tasks come back after Q_CLUSTER["retry"] (Q_TIMEOUT + 60,
# 90 s in the cluster); the rest of the run is the other worker's.
FINISH_WITHIN_SECONDS = 420

logger = logging.getLogger(__name__)


def _bucket_keys(s3, prefix: str) -> list[str]:
    keys = []
    for page in s3.get_paginator("list_objects_v2").paginate(
        Bucket=BUCKET, Prefix=prefix
    ):
        keys += [item["Key"] for item in page.get("Contents", [])]
    return keys


def _activity_with_claims(count: int):
    from tests.courses.factories import activity as make_activity
    from tests.courses.factories import completed_claims

    tag = uuid.uuid4().hex[:8]
    activity = make_activity(f"Crash course {tag}", slug=f"crash-{tag}", lectures=0)
    return activity, completed_claims(activity, count, prefix=f"crash-{tag}-")


@pytest.mark.usefixtures("cluster_db")
def test_a_worker_killed_holding_a_chunk_delays_the_run_without_losing_or_doubling(
    monkeypatch,
):
    from django.db.models import Count
    from django_q.conf import Conf

    from certificates.models import Certificate, IssuingRun
    from certificates.services import start_issuing_run

    # This pytest process runs tasks inline (settings.Q_CLUSTER["sync"] in tests);
    # the run's chunks are for the cluster's workers.
    monkeypatch.setattr(Conf, "SYNC", False)
    s3 = boto3.client(
        "s3",
        endpoint_url=os.environ["AWS_S3_ENDPOINT_URL"],
        region_name=os.environ["AWS_S3_REGION_NAME"],
    )
    activity, claims = _activity_with_claims(CLAIMS)
    # Chunks of 50 stay well inside the cluster's 30 s task timeout on a busy
    # machine (a timed-out chunk would fail rather than come back).
    run = start_issuing_run(activity=activity, claims=claims, chunk_size=50)

    # Kill the worker of a chunk caught uploading its PDFs if we can (the retry
    # must then delete them); otherwise of a chunk in the middle of rendering.
    killed = None
    caught_uploading = False
    deadline = time.monotonic() + 180
    while killed is None:
        assert time.monotonic() < deadline, "no worker started a chunk"
        busy = list(run.chunks.filter(started_at__isnull=False, finished_at=None))
        left = run.chunks.filter(finished_at=None).count()
        for chunk in busy:
            prefix = f"certificates/{chunk.attempt[:2]}/{chunk.attempt}"
            uploading = bool(_bucket_keys(s3, prefix))
            if uploading or left <= 8:
                killed, caught_uploading = chunk, uploading
                break
        else:
            time.sleep(0.05)
    node = killed.worker.split(":")[0]
    assert node in WORKERS
    assert kill_worker(node), f"{node} had no processes to kill"
    killed.refresh_from_db()
    # Between looking and killing, the chunk may have committed after all.
    held = killed.finished_at is None
    logger.warning(
        "killed %s holding chunk %s; uploading: %s; committed just before: %s",
        node,
        killed.index,
        caught_uploading,
        not held,
    )

    try:
        deadline = time.monotonic() + FINISH_WITHIN_SECONDS
        while run.status != IssuingRun.Status.FINISHED:
            assert time.monotonic() < deadline, (
                f"run stuck at {run.done}/{run.total} after killing {node}"
            )
            time.sleep(1)
            run.refresh_from_db()
    finally:
        restart_worker(node)

    assert (run.total, run.done, run.issued, run.refused) == (CLAIMS,) * 3 + (0,)
    assert run.refusals == []
    killed.refresh_from_db()
    assert killed.finished_at is not None
    if held:
        assert killed.attempts == 2, "the killed chunk was not tried again"
    assert not run.chunks.filter(finished_at=None).exists()

    issued = Certificate.objects.filter(claim__in=claims)
    per_claim = issued.values("claim").annotate(n=Count("id"))
    assert per_claim.count() == CLAIMS
    assert {row["n"] for row in per_claim} == {1}

    # Every certificate PDF in the bucket belongs to one certificate row and every
    # row's file is there: no file of the killed attempt stayed behind.
    keys = _bucket_keys(s3, "certificates/")
    names = list(Certificate.objects.values_list("pdf", flat=True))
    assert len(keys) == len(set(keys))
    assert len(names) == len(set(names)), "two certificates share one file"
    assert sorted(keys) == sorted(names)
