"""Builders for CME page trees and learners' progress in tests."""

import datetime
from decimal import Decimal

from django.utils import timezone

from accounts.models import User
from cms.models import HomePage
from courses.demo import question_block
from courses.models import (
    ActivityFormat,
    ActivityPage,
    ActivityPerson,
    CatalogueIndexPage,
    CreditClaim,
    CreditDesignation,
    CreditType,
    Enrolment,
    FinancialRelationship,
    LecturePage,
    Person,
)


def catalogue() -> CatalogueIndexPage:
    existing = CatalogueIndexPage.objects.first()
    if existing:
        return existing
    home = HomePage.objects.first()
    return home.add_child(instance=CatalogueIndexPage(title="CME", slug="cme"))


def person(
    name: str = "Dr Faculty",
    *,
    collected_on: datetime.date | None = None,
    relationships: list[tuple[str, str, bool]] = (),
) -> Person:
    collected_on = collected_on or timezone.localdate() - datetime.timedelta(days=30)
    return Person.objects.create(
        name=name,
        credentials="MD",
        disclosure_collected_on=collected_on,
        no_relevant_relationships=not relationships,
        relationships=[
            FinancialRelationship(
                company=company,
                nature=nature,
                mitigated=mitigated,
                collected_on=collected_on,
            )
            for company, nature, mitigated in relationships
        ],
    )


def question(
    prompt: str,
    choices: list[tuple[str, bool]],
    *,
    kind: str = "single",
    rationale: str = "Because the guideline says so.",
) -> dict:
    return question_block(prompt, choices, rationale, kind=kind)


DEFAULT_QUESTIONS = [
    question(
        "Which blood pressure confirms hypertension at home?",
        [("135/85 or higher", True), ("120/80 or higher", False)],
        rationale="Home readings of 135/85 or more confirm the diagnosis.",
    ),
    question(
        "Which are first-line drug classes?",
        [("Thiazide diuretics", True), ("ACE inhibitors", True), ("Opioids", False)],
        kind="multiple",
        rationale="Thiazides, ACE inhibitors, ARBs and calcium-channel blockers.",
    ),
]


def activity(
    title: str = "Hypertension management in telehealth",
    *,
    slug: str | None = None,
    activity_format: str = ActivityFormat.ENDURING,
    designations: list[tuple[str, str]] = ((CreditType.AMA_PRA_1, "1.0"),),
    people: list[Person] | None = None,
    lectures: int = 2,
    lecture_seconds: int = 60,
    questions: list[dict] | None = None,
    termination_date: datetime.date | None = None,
    joint_provider_name: str = "",
    **fields,
) -> ActivityPage:
    today = timezone.localdate()
    page = ActivityPage(
        title=title,
        slug=slug or title.lower().replace(" ", "-")[:50],
        activity_format=activity_format,
        objectives="Confirm hypertension with home readings.\nChoose first-line drugs.",
        target_audience="Primary care physicians and nurses.",
        estimated_minutes=60,
        release_date=today - datetime.timedelta(days=10),
        termination_date=termination_date or today + datetime.timedelta(days=365),
        provider_name="TeleCampus Medical School",
        joint_provider_name=joint_provider_name,
        pass_mark=75,
        max_attempts=3,
        questions=DEFAULT_QUESTIONS if questions is None else questions,
        designations=[
            CreditDesignation(credit_type=kind, max_amount=Decimal(amount))
            for kind, amount in designations
        ],
        people=[
            ActivityPerson(person=who, role=ActivityPerson.Role.FACULTY)
            for who in (people if people is not None else [person()])
        ],
        **fields,
    )
    catalogue().add_child(instance=page)
    for number in range(1, lectures + 1):
        page.add_child(
            instance=LecturePage(
                title=f"Lecture {number}",
                slug=f"lecture-{number}",
                video_embed_url="https://www.youtube-nocookie.com/embed/abc",
                duration_seconds=lecture_seconds,
                transcript=f"Transcript of lecture {number}.",
            )
        )
    return ActivityPage.objects.get(pk=page.pk)


def lectures_of(page: ActivityPage) -> list[LecturePage]:
    return list(LecturePage.objects.child_of(page).live().order_by("path"))


def completed_claims(activity: ActivityPage, count: int, *, prefix: str):
    """`count` learners (usernames `<prefix><n>`) who completed `activity` and
    claimed one AMA credit each, in three bulk inserts: for bulk-issuing benches
    and cluster tests that need thousands."""
    learners = User.objects.bulk_create(
        User(
            username=f"{prefix}{n}",
            email=f"{prefix}{n}@example.org",
            full_name=f"Learner Number {n} Example, MD",
        )
        for n in range(count)
    )
    now = timezone.now()
    enrolments = Enrolment.objects.bulk_create(
        Enrolment(
            learner=learner,
            activity=activity,
            status=Enrolment.Status.COMPLETE,
            completed_at=now,
        )
        for learner in learners
    )
    return CreditClaim.objects.bulk_create(
        CreditClaim(
            enrolment=enrolment,
            credit_type=CreditType.AMA_PRA_1,
            amount=Decimal("1.0"),
            claimed_at=now,
        )
        for enrolment in enrolments
    )
