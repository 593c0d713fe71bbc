import io
import logging
import os

import pikepdf
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from certificates.management.commands.issue_certificates import progress_bar
from certificates.models import Certificate, IssuingRun
from certificates.pdf import compose
from certificates.verification import verification_url
from tests.certificates.factories import claim, default_activity
from tests.certificates.pdf_reading import (
    one_line,
    page_count,
    pdf_text,
    qr_codes,
    structure_problems,
)


def claims_for(make_learner, count: int, *, incomplete: int = 0):
    activity = default_activity()
    made = [
        claim(make_learner(f"learner{n}", full_name=f"Learner {n}"), activity=activity)
        for n in range(count)
    ]
    made += [
        claim(
            make_learner(f"pending{n}", full_name=f"Pending {n}"),
            activity=activity,
            complete=False,
        )
        for n in range(incomplete)
    ]
    return activity, made


def test_the_command_issues_in_chunks_with_a_progress_bar(
    make_learner, settings, mailoutbox, caplog, django_capture_on_commit_callbacks
):
    settings.CERTIFICATES_RENDER_CHUNK = 2
    activity, _claims = claims_for(make_learner, 5, incomplete=1)
    out = io.StringIO()
    with caplog.at_level(logging.WARNING, logger="certificates"):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("issue_certificates", activity.slug, "--no-wait", stdout=out)
    run = IssuingRun.objects.get()
    assert f"Issuing run {run.uuid}" in out.getvalue()
    assert run.status == IssuingRun.Status.FINISHED
    assert (run.total, run.done, run.issued, run.refused) == (6, 6, 5, 1)
    assert progress_bar(run) == (
        "[##############################] 100% 6/6 (5 issued, 1 refused)"
    )
    run.done = 3
    assert progress_bar(run).startswith("[###############...............]  50% 3/6")
    assert Certificate.objects.valid().count() == 5
    assert len(mailoutbox) == 5
    assert "not complete" in caplog.text

    with django_capture_on_commit_callbacks(execute=True):
        call_command("issue_certificates", activity.slug, "--no-wait", stdout=out)
    assert Certificate.objects.count() == 5
    assert IssuingRun.objects.order_by("-created_at").first().issued == 0


def test_a_certificate_the_compositor_fails_on_is_laid_out_whole_and_named(
    make_learner,
    coordinator,
    client,
    monkeypatch,
    settings,
    caplog,
    django_capture_on_commit_callbacks,
):
    """However composing fails for one learner, their certificate is laid out
    whole instead, issued with the others, and the run's report names them."""
    settings.CERTIFICATES_RENDER_CHUNK = 2  # the failure is in a chunk's middle
    activity, made = claims_for(make_learner, 4)
    compose_one = compose.PreparedSheet.compose

    # Fault injection at the renderer's edge: pikepdf fails on Learner 2's copy.
    def fails_for_learner_2(self, layer, index, **kwargs):
        data = compose_one(self, layer, index, **kwargs)
        if "Learner 2" in pdf_text(data):
            raise pikepdf.PdfError("forced failure for one learner")
        return data

    monkeypatch.setattr(compose.PreparedSheet, "compose", fails_for_learner_2)
    client.force_login(coordinator)
    url = reverse("certificates_admin:issue_for_activity", args=[activity.uuid])
    with caplog.at_level(logging.WARNING, logger="certificates"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url)

    run = IssuingRun.objects.get()
    assert (run.status, run.total, run.issued, run.refused) == ("finished", 4, 4, 0)
    assert sorted(Certificate.objects.valid().values_list("claim_id", flat=True)) == (
        sorted(c.pk for c in made)
    )
    whole = Certificate.objects.get(claim=made[2])
    with whole.pdf.open("rb") as handle:
        data = handle.read()
    text = one_line(pdf_text(data))
    assert "Learner 2" in text
    assert f"Code {whole.code}" in text
    assert "Learner 1" not in text and "Learner 3" not in text
    assert page_count(data) == 1
    assert qr_codes(data) == [verification_url(whole.code)]
    assert structure_problems(data) == []
    assert "forced failure for one learner" in caplog.text

    assert run.rendered_whole == [
        {
            "claim": str(made[2].uuid),
            "learner": "Learner 2",
            "code": whole.code,
            "failure": "PdfError: forced failure for one learner",
        }
    ]
    page = client.get(response.url).content.decode()
    assert "Certificates laid out whole" in page
    assert f"<strong><bdi>Learner 2</bdi></strong>: certificate {whole.code}" in page
    assert "Learner 1</bdi>" not in page
    assert "Every claim got its certificate." in page
    status = client.get(reverse("certificates_admin:run_json", args=[run.uuid])).json()
    assert status["rendered_whole"] == [{"learner": "Learner 2", "code": whole.code}]
    assert status["issued"] == 4


def test_an_unknown_slug_is_a_clear_error(db):
    with pytest.raises(CommandError, match="No activity has the slug"):
        call_command("issue_certificates", "no-such-activity", stdout=io.StringIO())


def test_the_admin_action_starts_a_run_and_shows_progress(
    make_learner, coordinator, client, django_capture_on_commit_callbacks
):
    activity, _claims = claims_for(make_learner, 3)
    client.force_login(coordinator)
    url = reverse("certificates_admin:issue_for_activity", args=[activity.uuid])
    page = client.get(url)
    assert b"There are 3 credit claims." in page.content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    run = IssuingRun.objects.get()
    assert response.url == reverse("certificates_admin:run", args=[run.uuid])
    progress = client.get(response.url)
    assert b'<progress id="run-progress" max="3" value="3">' in progress.content
    status = client.get(reverse("certificates_admin:run_json", args=[run.uuid])).json()
    assert status == {
        "status": "finished",
        "done": 3,
        "total": 3,
        "issued": 3,
        "refused": 0,
        "percent": 100,
        "summary": "Finished. 3 certificates issued from 3 claims; 0 refused.",
        "rendered_whole": [],
    }


def test_the_run_lists_each_refused_learner_with_the_reason_and_a_fix(
    make_learner, coordinator, client, django_capture_on_commit_callbacks
):
    activity, made = claims_for(make_learner, 1, incomplete=1)
    nameless = claim(make_learner("nameless", full_name=""), activity=activity)
    client.force_login(coordinator)
    url = reverse("certificates_admin:issue_for_activity", args=[activity.uuid])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    page = client.get(response.url).content.decode()
    assert "Finished. 1 certificate issued from 3 claims; 2 refused." in page
    assert "Learners who got no certificate" in page
    assert (
        "<strong><bdi>Pending 0</bdi></strong>: The enrolment is not complete, so no "
        "certificate can be issued."
    ) in page
    report = reverse("courses_report", args=[activity.uuid])
    assert f'href="{report}#enrolment-{made[1].enrolment.uuid}"' in page
    assert "See how far Pending 0 got in the activity report" in page
    assert "The learner has no name to print." in page
    assert 'href="mailto:nameless@example.org?subject=' in page
    assert nameless.enrolment.learner.username in page
    run = IssuingRun.objects.get()
    assert sorted(r["fix"] for r in run.refusals) == ["enrolment", "learner"]


def test_the_activity_page_in_wagtail_has_an_issue_button(make_learner, coordinator):
    from wagtail import hooks

    activity, _claims = claims_for(make_learner, 1)
    urls = [
        button.url
        for hook in hooks.get_hooks("register_page_header_buttons")
        for button in hook(activity.page_ptr, coordinator, view_name="edit")
    ]
    assert (
        reverse("certificates_admin:issue_for_activity", args=[activity.uuid]) in urls
    )
    assert reverse("courses_report", args=[activity.uuid]) in urls


def test_the_activity_menu_in_wagtail_offers_issuing(make_learner, coordinator):
    from wagtail import hooks

    activity, _claims = claims_for(make_learner, 1)
    [hook] = [
        fn
        for fn in hooks.get_hooks("register_page_listing_more_buttons")
        if fn.__module__ == "certificates.wagtail_hooks"
    ]
    buttons = list(hook(activity.page_ptr, coordinator))
    assert [b.url for b in buttons] == [
        reverse("certificates_admin:issue_for_activity", args=[activity.uuid])
    ]
    assert list(hook(activity.get_parent(), coordinator)) == []


def test_learners_cannot_start_runs(make_learner, client):
    activity, _claims = claims_for(make_learner, 1)
    client.force_login(make_learner("with_totp", totp=True))
    url = reverse("certificates_admin:issue_for_activity", args=[activity.uuid])
    # Wagtail's admin gate: no admin access, sent to sign in (accounts.permissions).
    refused = client.post(url)
    assert (refused.status_code, refused.url.split("?")[0]) == (302, "/accounts/login/")
    assert not IssuingRun.objects.exists()


def _queued_run(make_learner, django_capture_on_commit_callbacks, *, chunk_size=2):
    """A run of 5 claims (one refused) whose chunk tasks are queued but not run."""
    from certificates import services

    activity, made = claims_for(make_learner, 4, incomplete=1)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        run = services.start_issuing_run(
            activity=activity, claims=made, chunk_size=chunk_size
        )
    assert len(queued) == 1  # one callback queues every chunk
    return run, made


def test_chunks_run_in_any_order_and_twice_and_count_once(
    make_learner, django_capture_on_commit_callbacks
):
    from certificates.tasks import issue_run_chunk_task

    run, made = _queued_run(make_learner, django_capture_on_commit_callbacks)
    assert [(c.index, c.start, c.stop) for c in run.chunks.all()] == [
        (0, 0, 2),
        (1, 2, 4),
        (2, 4, 5),
    ]
    # At-least-once delivery, chunks on different workers finishing out of order.
    assert issue_run_chunk_task(str(run.uuid), 2) == 1
    assert issue_run_chunk_task(str(run.uuid), 0) == 2
    assert issue_run_chunk_task(str(run.uuid), 0) is None
    run.refresh_from_db()
    assert (run.status, run.done, run.issued, run.refused) == ("running", 3, 2, 1)
    assert issue_run_chunk_task(str(run.uuid), 1) == 2
    assert issue_run_chunk_task(str(run.uuid), 2) is None
    run.refresh_from_db()
    assert run.status == IssuingRun.Status.FINISHED
    assert run.finished_at is not None
    assert (run.total, run.done, run.issued, run.refused) == (5, 5, 4, 1)
    assert [r["claim"] for r in run.refusals] == [str(made[4].uuid)]
    assert sorted(Certificate.objects.values_list("claim_id", flat=True)) == sorted(
        c.pk for c in made[:4]
    )
    assert all(c.attempts == 1 and c.finished_at for c in run.chunks.all())
    assert all(c.worker.endswith(f":{os.getpid()}") for c in run.chunks.all())


def test_a_retry_deletes_the_pdfs_a_crashed_attempt_left_and_issues_the_chunk(
    make_learner, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from certificates.tasks import issue_run_chunk_task

    run, made = _queued_run(make_learner, django_capture_on_commit_callbacks)
    storage = Certificate._meta.get_field("pdf").storage
    # What a worker killed after uploading, before its transaction committed,
    # leaves: a chunk with an attempt started longer ago than the task timeout and
    # files under that attempt's prefix, but no certificate rows.
    chunk = run.chunks.get(index=0)
    chunk.attempt, chunk.attempts = "ab12cd34ef56ab78", 1
    chunk.started_at = timezone.now() - timedelta(hours=1)
    chunk.save()
    stray = storage.save(
        "certificates/ab/ab12cd34ef56ab78" + "0" * 32 + ".pdf", ContentFile(b"%PDF")
    )
    other = storage.save("certificates/ab/ab99" + "0" * 44 + ".pdf", ContentFile(b"x"))

    assert issue_run_chunk_task(str(run.uuid), 0) == 2
    assert not storage.exists(stray)
    assert storage.exists(other)
    chunk.refresh_from_db()
    assert chunk.attempts == 2 and chunk.attempt != "ab12cd34ef56ab78"
    names = [c.pdf.name for c in Certificate.objects.all()]
    assert len(names) == 2
    assert all(name.split("/")[-1].startswith(chunk.attempt) for name in names)
    assert all(storage.exists(name) for name in names)


def test_a_younger_unfinished_attempt_keeps_its_files(
    make_learner, django_capture_on_commit_callbacks
):
    """The same chunk queued twice: the second delivery must not delete what the
    first, still running, uploaded."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from certificates.tasks import issue_run_chunk_task

    run, _made = _queued_run(make_learner, django_capture_on_commit_callbacks)
    storage = Certificate._meta.get_field("pdf").storage
    chunk = run.chunks.get(index=0)
    chunk.attempt, chunk.attempts = "cd12cd34ef56ab78", 1
    chunk.started_at = timezone.now()
    chunk.save()
    uploading = storage.save(
        "certificates/cd/cd12cd34ef56ab78" + "0" * 32 + ".pdf", ContentFile(b"%PDF")
    )
    assert issue_run_chunk_task(str(run.uuid), 0) == 2
    assert storage.exists(uploading)


def test_a_task_queued_before_chunks_queues_the_runs_chunks(
    make_learner, django_capture_on_commit_callbacks
):
    from certificates.tasks import issue_run_chunk_task

    run, _made = _queued_run(make_learner, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        assert issue_run_chunk_task(str(run.uuid)) is None
    run.refresh_from_db()
    assert (run.status, run.done, run.issued, run.refused) == ("finished", 5, 4, 1)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_chunks_on_several_workers_at_once_count_every_claim_once(
    make_learner, monkeypatch
):
    from django_q.conf import Conf
    from django_q.models import OrmQ

    from certificates import services
    from certificates.tasks import issue_run_chunk_task
    from tests.concurrency import run_at_once

    # Queue the chunk tasks in the database (the ORM broker) instead of running
    # them inline at commit, as tests otherwise do.
    monkeypatch.setattr(Conf, "SYNC", False)
    activity, made = claims_for(make_learner, 6, incomplete=2)
    run = services.start_issuing_run(activity=activity, claims=made, chunk_size=2)
    queued = sorted(task.task["args"] for task in OrmQ.objects.all())
    assert queued == [(str(run.uuid), index) for index in range(4)]
    # Every chunk twice, all at once: at-least-once delivery on four workers.
    results = run_at_once(
        [
            lambda index=index: issue_run_chunk_task(str(run.uuid), index)
            for index in [0, 1, 2, 3] * 2
        ]
    )
    assert sorted(r for r in results if r is not None) == [2, 2, 2, 2]
    run.refresh_from_db()
    assert run.status == IssuingRun.Status.FINISHED
    assert (run.total, run.done, run.issued, run.refused) == (8, 8, 6, 2)
    assert len(run.refusals) == 2
    assert Certificate.objects.count() == 6
    assert Certificate.objects.values("claim").distinct().count() == 6


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_email_sweeps_at_once_share_the_certificates(make_learner, monkeypatch):
    from django_q.conf import Conf

    from certificates import services
    from tests.concurrency import run_at_once

    monkeypatch.setattr(Conf, "SYNC", False)  # the sweeps run below, at once
    _activity, made = claims_for(make_learner, 12)
    assert len(services.issue_certificates(claims=made).issued) == 12
    results = run_at_once([services.send_pending_certificate_emails] * 2)
    assert sum(results) == 12
    assert not Certificate.objects.filter(email_sent_at=None).exists()
