import datetime
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from certificates import services
from courses.models import CreditType
from tests.certificates.factories import claim
from tests.certificates.pdf_reading import one_line, pdf_text, qr_codes
from tests.courses import factories as course_factories


def test_transcript_totals_per_credit_type_within_the_range(clinician, client):
    first = claim(clinician, amount="1.0")
    second_activity = course_factories.activity(
        "Telehealth ethics",
        lectures=0,
        designations=[(CreditType.AMA_PRA_1, "2.0"), (CreditType.ABIM_MOC, "2.0")],
    )
    second = claim(clinician, activity=second_activity, amount="1.5")
    moc = claim(
        clinician,
        activity=second_activity,
        credit_type=CreditType.ABIM_MOC,
        amount="2.0",
    )
    long_ago = claim(
        clinician,
        activity=course_factories.activity("Old course", lectures=0),
        claimed_at=timezone.now() - datetime.timedelta(days=800),
    )
    for each in (first, second, moc, long_ago):
        services.issue_certificate(claim=each)
    today = timezone.localdate()
    summary = services.transcript_summary(
        learner=clinician,
        date_from=today - datetime.timedelta(days=30),
        date_to=today + datetime.timedelta(days=1),
    )
    assert len(summary["rows"]) == 3
    assert {t["credit_type"]: t["amount"] for t in summary["totals"]} == {
        "abim_moc": "2.0",
        "ama_pra_1": "2.5",
    }
    client.force_login(clinician)
    page = client.get(reverse("certificates:transcript"))
    assert page.status_code == 200
    assert "AMA PRA Category 1 Credit™: 2.5" in page.content.decode()
    assert "Old course" not in page.content.decode()

    response = client.post(
        reverse("certificates:transcript"),
        {
            "date_from": (today - datetime.timedelta(days=30)).isoformat(),
            "date_to": (today + datetime.timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 302
    download = client.get(response.url)
    data = b"".join(download.streaming_content)
    text = one_line(pdf_text(data))
    transcript = clinician.transcripts.get()
    assert "Dana Clinician, MD" in text
    assert "Telehealth ethics" in text and "Old course" not in text
    assert transcript.code in text
    assert Decimal(summary["totals"][1]["amount"]) == Decimal("2.5")
    assert qr_codes(data) == [
        "http://127.0.0.1:8000" + reverse("certificates:verify", args=[transcript.code])
    ]


def test_a_reversed_range_is_a_clear_400(clinician, client):
    client.force_login(clinician)
    response = client.post(
        reverse("certificates:transcript"),
        {"date_from": "2026-05-01", "date_to": "2026-01-01"},
    )
    assert response.status_code == 400
    assert b"The end date must be on or after the start." in response.content
    assert not clinician.transcripts.exists()


def test_someone_elses_transcript_is_a_404(clinician, patient, client):
    transcript = services.issue_transcript(
        learner=clinician,
        date_from=datetime.date(2026, 1, 1),
        date_to=datetime.date(2026, 12, 31),
    )
    client.force_login(patient)
    url = reverse("certificates:transcript_download", args=[transcript.uuid])
    assert client.get(url).status_code == 404
