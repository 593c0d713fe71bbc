import hashlib
import logging
from collections import OrderedDict

import pytest
from django.urls import reverse

from certificates import services
from certificates.models import Certificate
from certificates.pdf import compose, documents, layout
from certificates.snapshots import CertificateSnapshot
from courses.models import CreditType
from courses.signals import credit_claimed
from tests.certificates.factories import claim
from tests.certificates.pdf_reading import (
    one_line,
    page_count,
    pdf_text,
    pdf_text_pdfium,
    qr_codes,
    raster,
    structure_problems,
)
from tests.concurrency import run_at_once
from tests.courses import factories as course_factories


def stored_bytes(certificate) -> bytes:
    with certificate.pdf.open("rb") as handle:
        return handle.read()


def test_the_pdf_prints_everything_and_its_qr_code_reaches_the_verify_page(
    clinician_claim,
):
    certificate = services.issue_certificate(claim=clinician_claim)
    data = stored_bytes(certificate)
    text = one_line(pdf_text(data))
    assert "Dana Clinician, MD" in text
    assert "Hypertension management in telehealth" in text
    assert certificate.snapshot["credit_date_display"] in text
    assert "1.0 AMA PRA Category 1 Credit™" in text
    assert one_line(certificate.snapshot["designation_statement"]) in text
    assert "designates this enduring material for a maximum of 1.0" in text
    assert certificate.code in text
    verify_url = "http://127.0.0.1:8000" + reverse(
        "certificates:verify", args=[certificate.code]
    )
    assert qr_codes(data) == [verify_url]
    assert certificate.pdf_sha256 == hashlib.sha256(data).hexdigest()


def test_issuing_is_idempotent_per_learner_activity_and_credit_type(clinician):
    first = claim(clinician)
    again = services.issue_certificate(claim=first)
    assert services.issue_certificate(claim=first) == again
    other_type = claim(
        clinician, activity=first.activity, credit_type=CreditType.PARTICIPATION
    )
    assert services.issue_certificate(claim=other_type) != again
    assert Certificate.objects.count() == 2


def test_incomplete_enrolment_is_refused_with_the_reason_logged(clinician, caplog):
    incomplete = claim(clinician, complete=False)
    with caplog.at_level(logging.WARNING, logger="certificates"):
        with pytest.raises(services.IssuingRefused) as refused:
            services.issue_certificate(claim=incomplete)
    assert "not complete" in refused.value.reason
    assert str(incomplete.uuid) in caplog.text and "not complete" in caplog.text
    assert not Certificate.objects.exists()


def test_missing_name_is_refused(make_learner, caplog):
    nameless = make_learner("nameless", full_name="")
    with pytest.raises(services.IssuingRefused) as refused:
        services.issue_certificate(claim=claim(nameless))
    assert "no name" in refused.value.reason
    assert "no name" in caplog.text


def test_ama_credit_needs_a_designation_naming_the_format(clinician, caplog):
    activity = course_factories.activity(
        "Participation only",
        lectures=0,
        designations=[(CreditType.PARTICIPATION, "2.0")],
    )
    with pytest.raises(services.IssuingRefused) as refused:
        services.issue_certificate(claim=claim(clinician, activity=activity))
    assert "AMA PRA Category 1 designation" in refused.value.reason
    assert "AMA PRA Category 1 designation" in caplog.text


def test_claiming_credit_issues_and_emails_through_the_signal(
    clinician_claim, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        credit_claimed.send(sender=type(clinician_claim), claim=clinician_claim)
    certificate = Certificate.objects.get(claim=clinician_claim)
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [clinician_claim.learner.email]
    assert "Hypertension management in telehealth" in message.subject
    assert reverse("certificates:download", args=[certificate.uuid]) in message.body
    assert certificate.code in message.body
    assert Certificate.objects.get(pk=certificate.pk).email_sent_at is not None
    assert services.send_certificate_email(certificate=certificate) is False
    assert len(mailoutbox) == 1


@pytest.mark.parametrize(
    "name",
    [
        "<script>alert('x')</script> Dr <b>Bold</b>",
        "د. سارة العلي",
        "Dr Emoji 🩺🎓 Smith",
        "W" * 48,
        "W" * 80,
        "W" * 110,
        "W" * 200,
        ("Anna-Maria " * 19)[:200],
    ],
)
def test_hostile_names_stay_escaped_and_on_one_page(make_learner, name):
    learner = make_learner("hostile", full_name=name)
    certificate = services.issue_certificate(claim=claim(learner))
    data = stored_bytes(certificate)
    assert page_count(data) == 1
    text = "".join(pdf_text_pdfium(data).split())
    # Word by word: right-to-left words come out in visual order.
    for word in name.split():
        assert word in text
    if "<script>" in name:
        assert "<script>alert('x')</script>" in pdf_text_pdfium(data)
    assert certificate.code.replace("-", "") in text.replace("-", "")


def test_changing_the_profile_name_changes_nothing_issued(clinician_claim, client):
    certificate = services.issue_certificate(claim=clinician_claim)
    before_pdf = stored_bytes(certificate)
    verify_url = reverse("certificates:verify", args=[certificate.code])
    before_page = client.get(verify_url).content
    learner = clinician_claim.learner
    learner.full_name = "Somebody Else Entirely"
    learner.save()
    certificate.refresh_from_db()
    assert stored_bytes(certificate) == before_pdf
    assert certificate.pdf_sha256 == hashlib.sha256(before_pdf).hexdigest()
    assert certificate.snapshot["learner_name"] == "Dana Clinician, MD"
    after_page = client.get(verify_url).content
    assert after_page == before_page
    assert b"Somebody Else" not in after_page


def test_download_serves_the_stored_file_without_rendering(
    clinician_claim, client, django_assert_num_queries, monkeypatch
):
    certificate = services.issue_certificate(claim=clinician_claim)
    client.force_login(clinician_claim.learner)

    def no_rendering(*args, **kwargs):
        raise AssertionError("download must not render")

    monkeypatch.setattr("certificates.pdf.layout.HTML", no_rendering)
    response = client.get(reverse("certificates:download", args=[certificate.uuid]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == stored_bytes(certificate)


def test_only_the_learner_or_staff_can_download(
    clinician_claim, client, patient, coordinator
):
    certificate = services.issue_certificate(claim=clinician_claim)
    url = reverse("certificates:download", args=[certificate.uuid])
    client.force_login(patient)
    assert client.get(url).status_code == 404
    client.force_login(coordinator)
    assert client.get(url).status_code == 200


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_concurrent_issuers_make_one_valid_certificate(clinician):
    the_claim = claim(clinician)
    results = run_at_once(
        [lambda: services.issue_certificate(claim=the_claim).pk for _ in range(20)]
    )
    assert Certificate.objects.count() == 1
    assert set(results) == {Certificate.objects.get().pk}


def test_one_sweep_mails_a_whole_bulk_issue_and_a_schedule_catches_the_rest(
    make_learner, mailoutbox, django_capture_on_commit_callbacks
):
    from django_q.models import Schedule

    from certificates.services.notifications import EMAIL_SWEEP_SCHEDULE_NAME

    claims = [claim(make_learner(f"bulk{n}")) for n in range(3)]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.issue_certificates(claims=claims)
    assert len(callbacks) == 1
    assert mailoutbox == []
    schedule = Schedule.objects.get(name=EMAIL_SWEEP_SCHEDULE_NAME)
    assert schedule.func == "certificates.tasks.send_certificate_emails_task"
    from certificates.tasks import send_certificate_emails_task

    assert send_certificate_emails_task() == 3
    assert send_certificate_emails_task() == 0
    assert sorted(m.to[0] for m in mailoutbox) == [
        "bulk0@example.org",
        "bulk1@example.org",
        "bulk2@example.org",
    ]


def test_templates_print_their_logo_and_signature_on_letter_paper(clinician_claim):
    import io

    from django.core.files.base import ContentFile
    from pypdf import PdfReader
    from wagtail.images.models import Image

    from certificates.models import PageSize

    def image(title: str) -> Image:
        made = Image(title=title)
        made.file.save(f"{title}.png", ContentFile(layout.qr_png(title)), save=False)
        made.width, made.height = 33, 33
        made.save()
        return made

    template = services.default_template()
    template.page_size = PageSize.LETTER
    template.logo, template.signature = image("logo"), image("signature")
    template.save()
    certificate = services.issue_certificate(claim=clinician_claim)
    reader = PdfReader(io.BytesIO(stored_bytes(certificate)))
    [page] = reader.pages
    assert (round(page.mediabox.width), round(page.mediabox.height)) == (792, 612)
    assert len(page.images) == 3
    assert certificate.template_version == 2


@pytest.mark.parametrize(
    ("position", "name"),
    [
        (0, "Learner Example"),
        # Further down a chunk, a line inherits drawing state it must replay.
        (2, "Learner Example"),
        # A character no installed font has prints as the .notdef box, both ways.
        (1, "Missing \U0010fffd Glyph"),
        (1, "王小明 Ødegård"),
    ],
)
def test_the_composed_certificate_looks_like_one_laid_out_whole(
    make_learner, position, name
):
    """Certificates are laid out once per activity with each learner's lines added
    on top; each must look exactly like laying out the whole certificate."""
    from PIL import ImageChops

    names = ["First Learner", "Second Learner", "Third Learner"]
    names[position] = name
    learners = [
        make_learner(f"learner{n}", full_name=full_name)
        for n, full_name in enumerate(names)
    ]
    outcome = services.issue_certificates(claims=[claim(person) for person in learners])
    certificate = next(
        issued for issued in outcome.issued if issued.learner == learners[position]
    )
    body, generated = documents.full_certificate(
        snapshot=CertificateSnapshot.from_json(certificate.snapshot),
        code=certificate.code,
        template=certificate.template,
    )
    whole = layout.render_pdf(
        body=body,
        title="whole",
        stylesheet=documents.certificate_stylesheet(certificate.template),
        generated=generated,
    )
    composed_image, whole_image = (
        raster(data) for data in (stored_bytes(certificate), whole)
    )
    assert composed_image.size == whole_image.size
    # A colour off by as little as #1f2933 against black would show here.
    difference = ImageChops.difference(composed_image, whole_image).convert("L")
    assert sum(difference.histogram()[9:]) == 0
    assert structure_problems(stored_bytes(certificate)) == []


def test_the_same_learner_twice_in_one_run_gets_one_certificate(clinician):
    """The same claim twice in one bulk insert clashes on the one-valid-certificate
    constraint; the batch falls back to one at a time and leaves no stray file."""
    from django.core.files.storage import default_storage

    first = claim(clinician)
    outcome = services.issue_certificates(claims=[first, first])
    assert len(outcome.issued) == 1 and len(outcome.existing) == 1
    assert outcome.existing[0] == outcome.issued[0]
    folders, _files = default_storage.listdir("certificates")
    stored = [
        name
        for folder in folders
        for name in default_storage.listdir(f"certificates/{folder}")[1]
    ]
    assert stored == [outcome.issued[0].pdf.name.rsplit("/", 1)[1]]


def test_revocation_list_positions_are_drawn_among_free_ones(clinician, monkeypatch):
    from certificates.services import issuing

    taken = services.issue_certificate(claim=claim(clinician)).status_list_index
    free = (taken + 1) % issuing.STATUS_LIST_SIZE
    draws = iter([taken, free])  # the random draw is the edge we control here
    monkeypatch.setattr(issuing.secrets, "randbelow", lambda _size: next(draws))
    assert issuing._free_status_indexes(1) == [free]


def test_single_certificates_of_one_activity_lay_out_their_sheet_once(
    make_learner, monkeypatch
):
    monkeypatch.setattr(layout, "_sheets", OrderedDict())
    render_sheet = layout.render_sheet
    laid_out = []

    def counted(**kwargs):
        laid_out.append(kwargs["body"])
        return render_sheet(**kwargs)

    monkeypatch.setattr(layout, "render_sheet", counted)
    first, second = (
        services.issue_certificate(
            claim=claim(make_learner(f"single{n}", full_name=f"Single {n}"))
        )
        for n in range(2)
    )
    assert len(laid_out) == 1
    assert "Single 0" in pdf_text(stored_bytes(first))
    assert "Single 1" in pdf_text(stored_bytes(second))
    assert "Single 0" not in laid_out[0]


def test_a_sheet_the_compositor_refuses_still_gives_every_certificate(
    make_learner, monkeypatch, caplog
):
    """What a WeasyPrint release the compositor does not understand would do: every
    certificate of the sheet is laid out whole, and says so."""

    def refuses(self, sheet_pdf, slot_count):
        raise ValueError("The sheet has 4 empty blocks for 3 text slots.")

    monkeypatch.setattr(compose.PreparedSheet, "__init__", refuses)
    learners = [make_learner(f"whole{n}", full_name=f"Whole {n}") for n in range(2)]
    with caplog.at_level(logging.WARNING, logger="certificates"):
        outcome = services.issue_certificates(claims=[claim(p) for p in learners])
    assert len(outcome.issued) == 2
    assert sorted(whole.certificate.code for whole in outcome.rendered_whole) == sorted(
        c.code for c in outcome.issued
    )
    assert {whole.failure for whole in outcome.rendered_whole} == {
        "ValueError: The sheet has 4 empty blocks for 3 text slots."
    }
    for certificate in outcome.issued:
        data = stored_bytes(certificate)
        text = one_line(pdf_text(data))
        assert certificate.snapshot["learner_name"] in text
        assert f"Code {certificate.code}" in text
        assert page_count(data) == 1
    assert "laid out whole" in caplog.text
