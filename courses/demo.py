"""CME demo: three activities, one clinician part-way, one who completed and claimed.

seed_demo (ops) calls seed(); everything is built through Wagtail's page API and
courses' services, and running it again creates only what is missing.
"""

import datetime
import io
import uuid
import wave
from decimal import Decimal

from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from wagtail.documents.models import Document
from wagtail.models import GroupPagePermission, Site

from accounts.models import ProfessionalIdentifier, User
from accounts.services import Role
from courses import services
from courses.models import (
    ActivityFormat,
    ActivityPage,
    ActivityPerson,
    CatalogueIndexPage,
    CreditDesignation,
    CreditType,
    FinancialRelationship,
    LecturePage,
    Person,
)
from courses.selectors import cme_collection
from courses.services.enrolment import current_disclosure
from courses.services.post_test import new_form_token
from meetings.demo import GRAND_ROUNDS_TITLE
from meetings.models import Meeting
from meetings.services import schedule_meeting

DEMO_SAMPLE_RATE = 8000


def silent_wav(seconds: int) -> bytes:
    """A silent mono recording: a real, playable stand-in for a lecture video."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as recording:
        recording.setnchannels(1)
        recording.setsampwidth(1)
        recording.setframerate(DEMO_SAMPLE_RATE)
        recording.writeframes(b"\x80" * DEMO_SAMPLE_RATE * seconds)
    return buffer.getvalue()


DEMO_RECORDING_SECONDS = 60


def demo_recording() -> Document:
    """One short recording shared by every demo lecture (keeps the demo small)."""
    title = "Demo lecture recording"
    existing = Document.objects.filter(title=title).first()
    if existing:
        return existing
    # Assigned, not saved into storage here, so that saving the document stores it
    # under the random folder every Wagtail document gets (cms.signals).
    document = Document(
        title=title,
        collection=cme_collection(),
        file=ContentFile(silent_wav(DEMO_RECORDING_SECONDS), name="demo-lecture.wav"),
    )
    document.save()
    return document


def question_block(
    prompt: str,
    choices: list[tuple[str, bool]],
    rationale: str,
    kind: str = "single",
) -> dict:
    """One post-test question as raw StreamField data (the test factories use it too).

    Ids are given here as the admin's editor gives them: attempts refer to them.
    """
    return {
        "type": "question",
        "id": str(uuid.uuid4()),
        "value": {
            "prompt": prompt,
            "kind": kind,
            "rationale": rationale,
            "choices": [
                {
                    "type": "item",
                    "id": str(uuid.uuid4()),
                    "value": {"text": text, "correct": correct},
                }
                for text, correct in choices
            ],
        },
    }


ACTIVITIES = [
    {
        "title": "Hypertension management in telehealth",
        "slug": "hypertension-telehealth",
        "activity_format": ActivityFormat.ENDURING,
        "summary": "Diagnose and treat hypertension with home readings and video.",
        "objectives": "Confirm hypertension with home blood pressure monitoring.\n"
        "Choose first-line treatment and follow up by video.",
        "credit": [(CreditType.AMA_PRA_1, "1.0"), (CreditType.PARTICIPATION, "1.0")],
        "lectures": ["Home blood pressure monitoring", "First-line treatment"],
        "questions": [
            question_block(
                "Which average home reading confirms hypertension?",
                [
                    ("135/85 mmHg or higher", True),
                    ("120/80 mmHg or higher", False),
                    ("160/100 mmHg or higher", False),
                ],
                "Guidelines use an average home reading of 135/85 mmHg or more.",
            ),
            question_block(
                "Which are first-line drug classes?",
                [
                    ("Thiazide-type diuretics", True),
                    ("ACE inhibitors", True),
                    ("Alpha blockers", False),
                ],
                "Thiazides, ACE inhibitors, ARBs and calcium-channel blockers are "
                "first line; alpha blockers are not.",
                kind="multiple",
            ),
        ],
    },
    {
        "title": "Video urgent care: rashes, back pain, urinary tract infection",
        "slug": "video-urgent-care",
        "activity_format": ActivityFormat.ENDURING,
        "summary": "Safe assessment of three common urgent complaints over video.",
        "objectives": "Assess a rash over video and know when to see the patient.\n"
        "Recognise red flags in acute low back pain.\n"
        "Treat uncomplicated cystitis remotely.",
        "credit": [
            (CreditType.AMA_PRA_1, "1.5"),
            (CreditType.NURSING_CONTACT_HOURS, "1.5"),
        ],
        "lectures": [
            "Rashes on camera",
            "Back pain red flags",
            "Urinary tract infection",
        ],
        "questions": [
            question_block(
                "Which finding with back pain needs an urgent in-person assessment?",
                [("New urinary retention", True), ("Pain after lifting", False)],
                "Urinary retention suggests cauda equina syndrome.",
            ),
        ],
    },
    {
        "title": "Medicine grand rounds (monthly)",
        "slug": "medicine-grand-rounds",
        "activity_format": ActivityFormat.RSS,
        "summary": "A monthly live case conference for the telehealth service.",
        "objectives": "Discuss difficult telehealth cases with colleagues.",
        "credit": [(CreditType.AMA_PRA_1, "1.0")],
        "lectures": [],
        "questions": [],
    },
]


def _catalogue() -> CatalogueIndexPage:
    existing = CatalogueIndexPage.objects.first()
    if existing:
        return existing
    # The default site's root is the English home page (cms sits above courses, so
    # courses finds it through Wagtail rather than importing cms).
    home = Site.objects.get(is_default_site=True).root_page
    page = CatalogueIndexPage(
        title="CME activities",
        slug="cme",
        intro="Accredited continuing medical education for the telehealth team.",
    )
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def _faculty() -> list[Person]:
    today = timezone.localdate()
    lee, _created = Person.objects.get_or_create(
        name="Jordan Lee",
        defaults={
            "credentials": "MD",
            "affiliation": "TeleCampus Medical School",
            "disclosure_collected_on": today - datetime.timedelta(days=60),
            "no_relevant_relationships": True,
        },
    )
    patel, created = Person.objects.get_or_create(
        name="Priya Patel",
        defaults={
            "credentials": "MD, FACP",
            "affiliation": "County Hospital",
            "disclosure_collected_on": today - datetime.timedelta(days=90),
        },
    )
    if created:
        FinancialRelationship.objects.create(
            person=patel,
            company="Acme Cardio Devices",
            nature="Consultant (advisory board)",
            mitigated=True,
            collected_on=patel.disclosure_collected_on,
        )
    return [lee, patel]


def _activity(catalogue, spec, people) -> ActivityPage:
    existing = ActivityPage.objects.filter(slug=spec["slug"]).first()
    if existing:
        return existing
    today = timezone.localdate()
    page = ActivityPage(
        title=spec["title"],
        slug=spec["slug"],
        activity_format=spec["activity_format"],
        summary=spec["summary"],
        objectives=spec["objectives"],
        target_audience="Physicians, nurses and other clinicians in telehealth.",
        estimated_minutes=60,
        release_date=today - datetime.timedelta(days=45),
        termination_date=today + datetime.timedelta(days=700),
        time_zone="America/New_York",
        provider_name="TeleCampus Medical School",
        joint_provider_name="County Hospital" if people[1:] else "",
        pass_mark=75,
        max_attempts=3,
        questions=spec["questions"],
        designations=[
            CreditDesignation(credit_type=kind, max_amount=Decimal(amount))
            for kind, amount in spec["credit"]
        ],
        people=[
            ActivityPerson(person=people[0], role=ActivityPerson.Role.FACULTY),
            ActivityPerson(person=people[1], role=ActivityPerson.Role.PLANNER),
        ],
    )
    if spec["activity_format"] == ActivityFormat.RSS:
        starts = (timezone.now() + datetime.timedelta(days=7)).replace(
            hour=17, minute=0, second=0, microsecond=0
        )
        page.session_starts_at = starts
        page.session_ends_at = starts + datetime.timedelta(hours=1)
        page.code_word = "stethoscope"
    catalogue.add_child(instance=page)
    page.save_revision().publish()
    for title in spec["lectures"]:
        lecture = LecturePage(
            title=title,
            video=demo_recording(),
            duration_seconds=DEMO_RECORDING_SECONDS,
            transcript=f"{title}: a short demo recording (silent) standing in for "
            "the lecture video.",
        )
        page.add_child(instance=lecture)
        lecture.save_revision().publish()
    return ActivityPage.objects.get(pk=page.pk)


def _grand_rounds_meeting(activity: ActivityPage) -> None:
    """Link the meetings demo's grand rounds to the series (or schedule one)."""
    if Meeting.objects.filter(cme_activity_uuid=activity.uuid).exists():
        return
    meeting = Meeting.objects.filter(
        kind=Meeting.Kind.LECTURE,
        title=GRAND_ROUNDS_TITLE,
        cme_activity_uuid__isnull=True,
    ).first()
    if meeting:
        # meetings stores which CME activity a meeting belongs to; courses sets it.
        Meeting.objects.filter(pk=meeting.pk).update(cme_activity_uuid=activity.uuid)
    else:
        meeting = schedule_meeting(
            organizer=User.objects.get(username="coordinator"),
            kind=Meeting.Kind.LECTURE,
            title=activity.title,
            start=activity.session_starts_at,
            duration_minutes=60,
            time_zone=activity.time_zone,
            recurrence_rule="FREQ=MONTHLY;COUNT=12",
            cme_activity_uuid=activity.uuid,
            send_invitations=False,
        )
    activity.session_starts_at = meeting.start
    activity.session_ends_at = meeting.start + datetime.timedelta(
        minutes=meeting.duration_minutes
    )
    activity.save_revision().publish()


def _coordinator_may_edit(catalogue: CatalogueIndexPage) -> None:
    group = Group.objects.get(name=Role.CME_COORDINATOR.value)
    for codename in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.get_or_create(
            group=group,
            page=catalogue,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )


def _through_gate(learner: User, activity: ActivityPage):
    enrolment = services.enrol(learner=learner, activity=activity)
    version, _text = current_disclosure(activity)
    services.acknowledge_disclosure(enrolment=enrolment, disclosure_version=version)
    return enrolment


def _watch(enrolment, lectures, *, share: float = 1.0) -> None:
    """Replay a learner watching in real time, one report every ten seconds."""
    moment = timezone.now() - datetime.timedelta(hours=2)
    for lecture in lectures:
        services.open_lecture(enrolment=enrolment, lecture=lecture, now=moment)
        for start in range(0, int(lecture.duration_seconds * share), 10):
            moment += datetime.timedelta(seconds=10)
            services.report_progress(
                learner=enrolment.learner,
                enrolment_uuid=enrolment.uuid,
                lecture_uuid=lecture.uuid,
                segments=[(start, start + 10)],
                now=moment,
            )


def _right_answers(activity: ActivityPage) -> dict:
    return {
        qid: [c["id"] for c in question["choices"] if c["correct"]]
        for qid, question in activity.question_blocks.items()
    }


def _complete_and_claim(learner, activity, credit_type, amount) -> str:
    enrolment = _through_gate(learner, activity)
    if enrolment.claims.exists():
        return f"{learner.username} already claimed {activity.title}"
    _watch(enrolment, LecturePage.objects.child_of(activity).live().order_by("path"))
    services.submit_post_test(
        enrolment=enrolment, token=new_form_token(), answers=_right_answers(activity)
    )
    services.submit_evaluation(
        enrolment=enrolment,
        objectives_met=5,
        relevance=5,
        quality=4,
        free_of_bias=True,
        comments="Practical and to the point.",
        commitment_to_change="I will ask every hypertensive patient for a week of "
        "home readings before changing treatment.",
    )
    services.claim_credit(
        enrolment=enrolment,
        credit_type=credit_type,
        amount=Decimal(amount),
        attested=True,
    )
    return f"{learner.username} completed {activity.title} and claimed {amount}"


@transaction.atomic
def seed() -> list[str]:
    catalogue = _catalogue()
    _coordinator_may_edit(catalogue)
    people = _faculty()
    activities = [_activity(catalogue, spec, people) for spec in ACTIVITIES]
    hypertension, urgent_care, grand_rounds = activities
    _grand_rounds_meeting(grand_rounds)
    lines = [f"{len(activities)} CME activities under /{catalogue.slug}/"]

    reviewer = User.objects.get(username="reviewer")
    reviewer.birth_month, reviewer.birth_day = 9, 3
    reviewer.board_reporting_consent_at = reviewer.board_reporting_consent_at or (
        timezone.now()
    )
    reviewer.save(
        update_fields=["birth_month", "birth_day", "board_reporting_consent_at"]
    )
    ProfessionalIdentifier.objects.get_or_create(
        user=reviewer,
        kind=ProfessionalIdentifier.Kind.BOARD,
        issuer="ABIM",
        defaults={"number": "123456"},
    )
    lines.append(
        _complete_and_claim(reviewer, hypertension, CreditType.AMA_PRA_1, "0.75")
    )
    nurse = User.objects.get(username="nurse")
    lines.append(
        _complete_and_claim(nurse, hypertension, CreditType.PARTICIPATION, "1.0")
    )

    clinician = User.objects.get(username="clinician")
    enrolment = _through_gate(clinician, urgent_care)
    if not enrolment.progress.exists():
        lectures = list(
            LecturePage.objects.child_of(urgent_care).live().order_by("path")
        )
        _watch(enrolment, lectures[:1])
        _watch(enrolment, lectures[1:2], share=0.4)
    lines.append("clinician is part-way through the video urgent care activity")
    return lines
