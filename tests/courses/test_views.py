import json
import re
import uuid

import pytest
from django.urls import reverse

from courses import services
from courses.models import Enrolment, LectureProgress
from tests.conftest import make_person
from tests.courses import factories
from tests.courses.conftest import evaluate, pass_post_test, right_answers, watch_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner_client(client, clinician):
    client.force_login(clinician)
    return client


def url(name, enrolment, *args):
    return reverse(f"courses:{name}", args=[enrolment.uuid, *args])


def test_catalogue_lists_live_activities(client, activity_page):
    response = client.get(reverse("courses:catalogue"))
    assert response.status_code == 200
    assert activity_page.title in response.content.decode()


def test_activity_page_shows_facts_and_enrols(learner_client, activity_page):
    page = learner_client.get(activity_page.url)
    text = page.content.decode()
    assert "Enrol in this activity" in text
    assert "designates this enduring material" in text
    response = learner_client.post(reverse("courses:enrol", args=[activity_page.uuid]))
    enrolment = Enrolment.objects.get(activity=activity_page)
    assert response.url == url("enrolment", enrolment)


def test_deep_link_to_a_lecture_goes_through_the_gate(learner_client, activity_page):
    lecture = factories.lectures_of(activity_page)[1]
    not_enrolled = learner_client.get(lecture.url)
    assert not_enrolled.url == activity_page.url
    learner_client.post(reverse("courses:enrol", args=[activity_page.uuid]))
    enrolment = Enrolment.objects.get(activity=activity_page)
    player = learner_client.get(lecture.url)
    assert player.url == url("lecture", enrolment, lecture.uuid)
    gated = learner_client.get(player.url)
    assert gated.url.startswith(url("gate", enrolment))
    gate_page = learner_client.get(gated.url)
    text = gate_page.content.decode()
    assert "No relevant financial relationships." in text
    assert "Pass mark 75%" in text
    version = gate_page.context["form"].initial["disclosure_version"]
    unticked = learner_client.post(
        gated.url, {"disclosure_version": version, "next": player.url}
    )
    assert unticked.status_code == 400
    back = learner_client.post(
        gated.url,
        {"disclosure_version": version, "acknowledged": "on", "next": player.url},
    )
    assert back.url == player.url
    assert learner_client.get(player.url).status_code == 200
    assert LectureProgress.objects.filter(enrolment=enrolment).count() == 1


def test_gate_does_not_redirect_off_site(learner_client, enrolment):
    version = services.enrolment.current_disclosure(enrolment.activity)[0]
    response = learner_client.post(
        url("gate", enrolment),
        {
            "disclosure_version": version,
            "acknowledged": "on",
            "next": "https://evil.example/",
        },
    )
    assert response.url == url("enrolment", enrolment)


def test_someone_elses_enrolment_is_404(client, enrolment):
    other = make_person("other_clinician", [], profession="physician")
    client.force_login(other)
    assert client.get(url("enrolment", enrolment)).status_code == 404
    lecture = factories.lectures_of(enrolment.activity)[0]
    services.open_lecture(enrolment=enrolment, lecture=lecture)
    response = client.post(
        url("progress", enrolment, lecture.uuid),
        data=json.dumps({"segments": [[0, 5]]}),
        content_type="application/json",
    )
    assert response.status_code == 404


def test_progress_report_endpoint(learner_client, enrolment, settings):
    settings.COURSES_MAX_PLAYBACK_RATE = 100
    lecture = factories.lectures_of(enrolment.activity)[0]
    progress_url = url("progress", enrolment, lecture.uuid)
    unopened = learner_client.post(
        progress_url, data='{"segments": [[0, 5]]}', content_type="application/json"
    )
    assert unopened.status_code == 404
    assert (
        learner_client.get(url("lecture", enrolment, lecture.uuid)).status_code == 200
    )
    for body in ["nonsense", '{"segments": [["a", 1]]}', '{"nope": 1}']:
        response = learner_client.post(
            progress_url, data=body, content_type="application/json"
        )
        assert response.status_code == 400
    ok = learner_client.post(
        progress_url,
        data=json.dumps({"segments": [[0, 30], [10, 20]]}),
        content_type="application/json",
    )
    assert ok.json() == {"watched_seconds": 30.0, "percent": 50, "complete": False}


def test_post_test_locked_then_answers_outside_the_test_are_400(
    learner_client, enrolment
):
    locked = learner_client.get(url("post_test", enrolment))
    assert "unlocks when you have completed every lecture" in locked.content.decode()
    watch_all(enrolment)
    page = learner_client.get(url("post_test", enrolment))
    token = page.context["token"]
    answers = {f"q-{qid}": ids for qid, ids in right_answers(enrolment).items()}
    stray = learner_client.post(
        url("post_test", enrolment),
        {**answers, f"q-{uuid.uuid4()}": "x", "token": token},
    )
    assert stray.status_code == 400
    assert not enrolment.attempts.exists()
    wrong = {
        f"q-{qid}": ids for qid, ids in right_answers(enrolment, wrong=True).items()
    }
    failed = learner_client.post(url("post_test", enrolment), {**wrong, "token": token})
    result = learner_client.get(failed.url).content.decode()
    assert "You did not reach the pass mark of 75%" in result
    # By default the key stays hidden until the learner passes: the retake is a test.
    assert "Your answer was not correct." in result
    assert "Home readings of 135/85 or more confirm the diagnosis." not in result
    assert "— correct answer" not in result
    assert "shown once you pass" in result

    passed = learner_client.post(
        url("post_test", enrolment),
        {**answers, "token": str(uuid.uuid4())},
    )
    assert "You passed." in learner_client.get(passed.url).content.decode()
    # Now the first attempt shows the rationale for what the learner got wrong.
    review = learner_client.get(failed.url).content.decode()
    assert "Home readings of 135/85 or more confirm the diagnosis." in review
    assert "— correct answer" in review


def test_claim_view_refuses_with_the_rule_and_keeps_the_input(
    learner_client, enrolment
):
    watch_all(enrolment)
    pass_post_test(enrolment)
    evaluate(enrolment)
    page = learner_client.get(url("claim", enrolment)).content.decode()
    # The amount is chosen from the allowed steps up to the maximum of 1.0.
    offered = re.findall(r'<option value="ama_pra_1:([0-9.]+)"', page)
    assert offered == ["0.25", "0.50", "0.75", "1.00"]
    assert "0.75 AMA PRA Category 1 Credit™" in page
    data = {"credit": "ama_pra_1:1.25", "attested": "on"}
    refused = learner_client.post(url("claim", enrolment), data)
    assert refused.status_code == 400
    assert "Choose the credit you claim from the list." in refused.content.decode()
    unattested = learner_client.post(
        url("claim", enrolment), {"credit": "ama_pra_1:0.75"}
    )
    assert unattested.status_code == 400
    assert "Confirm that the amount claimed" in unattested.content.decode()
    assert 'value="ama_pra_1:0.75" selected' in unattested.content.decode()
    granted = learner_client.post(
        url("claim", enrolment), {**data, "credit": "ama_pra_1:0.75"}
    )
    assert granted.url == reverse("courses:dashboard")
    dashboard = learner_client.get(granted.url).content.decode()
    assert "0.75" in dashboard


def test_evaluation_view_stores_ratings(learner_client, enrolment):
    watch_all(enrolment)
    pass_post_test(enrolment)
    response = learner_client.post(
        url("evaluation", enrolment),
        {
            "objectives_met": "5",
            "relevance": "4",
            "quality": "3",
            "comments": "",
            "commitment_to_change": "Use home readings.",
        },
    )
    assert response.url == url("claim", enrolment)
    enrolment.refresh_from_db()
    assert enrolment.evaluation.quality == 3
    assert enrolment.evaluation.free_of_bias is False


def test_board_reporting_consent_given_and_withdrawn(learner_client, clinician):
    page = reverse("courses:board_reporting")
    learner_client.post(
        page,
        {
            "consent": "on",
            "board": "ABIM",
            "board_id": "123456",
            "birth_month": "4",
            "birth_day": "17",
        },
    )
    clinician.refresh_from_db()
    assert clinician.board_reporting_consent_at is not None
    assert clinician.identifiers.get().number == "123456"
    learner_client.post(
        page, {"board": "ABIM", "board_id": "123456", "birth_month": "4"}
    )
    clinician.refresh_from_db()
    assert clinician.board_reporting_consent_at is None
    missing_board = learner_client.post(page, {"board_id": "1"})
    assert missing_board.status_code == 400


@pytest.fixture
def lecture_with_video(enrolment, settings, tmp_path):
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    settings.MEDIA_ROOT = tmp_path
    video = Document(title="Recording")
    video.file.save("recording.wav", ContentFile(b"RIFF" + bytes(range(96))))
    lecture = factories.lectures_of(enrolment.activity)[0]
    lecture.video = video
    lecture.save()
    return lecture


def test_lecture_video_is_served_in_ranges_to_the_enrolled_learner_only(
    learner_client, client, enrolment, lecture_with_video
):
    video_url = url("lecture_file", enrolment, lecture_with_video.uuid, "video")
    whole = learner_client.get(video_url)
    assert whole.status_code == 200
    assert whole["Content-Type"] in {"audio/x-wav", "audio/wav"}
    assert b"".join(whole.streaming_content)[:4] == b"RIFF"
    part = learner_client.get(video_url, headers={"Range": "bytes=4-7"})
    assert part.status_code == 206
    assert part.content == bytes(range(4))
    assert part["Content-Range"] == "bytes 4-7/100"
    beyond = learner_client.get(video_url, headers={"Range": "bytes=500-"})
    assert beyond.status_code == 416
    slides = url("lecture_file", enrolment, lecture_with_video.uuid, "slides")
    assert learner_client.get(slides).status_code == 404
    other = make_person("other_learner", [])
    client.force_login(other)
    assert client.get(video_url).status_code == 404


def test_catalogue_index_page_lists_activities(client, activity_page):
    index = activity_page.get_parent()
    response = client.get(index.url)
    assert response.status_code == 200
    assert activity_page.title in response.content.decode()


def test_wide_range_is_capped_and_the_player_can_follow_on(
    learner_client, enrolment, settings, tmp_path
):
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    from courses.views.media import MAX_RANGE_BYTES

    settings.MEDIA_ROOT = tmp_path
    size = MAX_RANGE_BYTES + 1000
    video = Document(title="Long recording")
    video.file.save("long.wav", ContentFile(b"RIFF" + b"\x01" * (size - 4)))
    lecture = factories.lectures_of(enrolment.activity)[0]
    lecture.video = video
    lecture.save()
    video_url = url("lecture_file", enrolment, lecture.uuid, "video")

    first = learner_client.get(video_url, headers={"Range": "bytes=0-"})
    assert first.status_code == 206
    assert len(first.content) == MAX_RANGE_BYTES
    assert first.content[:4] == b"RIFF"
    assert first["Content-Range"] == f"bytes 0-{MAX_RANGE_BYTES - 1}/{size}"
    rest = learner_client.get(video_url, headers={"Range": f"bytes={MAX_RANGE_BYTES}-"})
    assert rest.status_code == 206
    assert len(rest.content) == 1000
    assert rest["Content-Range"] == f"bytes {MAX_RANGE_BYTES}-{size - 1}/{size}"


def _wagtail_url(document) -> str:
    return reverse("wagtaildocs_serve", args=[document.pk, document.filename])


def test_cme_files_are_not_served_by_wagtails_document_view(
    learner_client, enrolment, lecture_with_video, settings, tmp_path
):
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    from courses.selectors import cme_collection

    handout = Document(title="Handout")
    handout.file.save("handout.pdf", ContentFile(b"%PDF-1.4 handout"))
    filed = Document(title="Filed slides", collection=cme_collection())
    filed.file.save("filed.pdf", ContentFile(b"%PDF-1.4 filed"))
    lecture = lecture_with_video
    lecture.documents = [("document", handout)]
    lecture.save()

    from django.test import Client

    anonymous = Client()
    not_enrolled = Client()
    not_enrolled.force_login(make_person("not_enrolled", []))
    for document in (lecture.video, handout, filed):
        assert anonymous.get(_wagtail_url(document)).status_code == 404
        assert not_enrolled.get(_wagtail_url(document)).status_code == 404
        # Not even the enrolled learner: courses serves lecture files itself.
        assert learner_client.get(_wagtail_url(document)).status_code == 404

    own = learner_client.get(url("lecture_document", enrolment, lecture.uuid, 0))
    assert own.status_code == 200
    assert b"".join(own.streaming_content) == b"%PDF-1.4 handout"


def test_the_public_activity_page_shows_disclosures_before_enrolling(client, db):
    from courses.models import ActivityPerson

    page = factories.activity(lectures=0)
    paid = factories.person(
        "Dr Paid", relationships=[("Acme Pharma", "Consultant", True)]
    )
    ActivityPerson.objects.create(activity=page, person=paid, role="planner")
    text = client.get(page.url).content.decode()
    assert "Faculty and planners: disclosures" in text
    assert "Dr Faculty, MD" in text
    assert "No relevant financial relationships." in text
    assert "Dr Paid, MD" in text and "(Planner)" in text
    assert "Acme Pharma: Consultant" in text
    assert "Sign in to enrol" in text


def test_the_claim_steps_stop_at_the_maximum_and_the_attendance_cap(enrolment):
    from decimal import Decimal

    from courses.services.credit import allowed_amounts

    assert allowed_amounts(enrolment, "ama_pra_1") == [
        Decimal("0.25"),
        Decimal("0.50"),
        Decimal("0.75"),
        Decimal("1.00"),
    ]
    assert allowed_amounts(enrolment, "abim_moc") == []
    nursing = factories.activity(
        "Wound care", designations=[("nursing_contact_hours", "1.10")], lectures=0
    )
    nurse_enrolment = services.enrol(learner=enrolment.learner, activity=nursing)
    assert allowed_amounts(nurse_enrolment, "nursing_contact_hours")[-2:] == [
        Decimal("1.00"),
        Decimal("1.10"),
    ]
