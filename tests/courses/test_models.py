import datetime
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.utils import timezone

from courses.models import CREDIT_RULES, ActivityFormat, CreditDesignation, CreditType
from courses.models.credit import HUNDREDTH, QUARTER
from tests.courses import factories

pytestmark = pytest.mark.django_db


def test_every_credit_type_has_one_rule_row():
    # A new CreditType without its row would have no step, no professions and no
    # statement: the table is where adding one starts and ends.
    assert set(CREDIT_RULES) == set(CreditType)
    for kind, rule in CREDIT_RULES.items():
        assert rule.step in (QUARTER, HUNDREDTH), kind
        assert "%(amount)s" in str(rule.statement), kind
    # AMA's statement names every format in the booklet's wording.
    ama = CREDIT_RULES[CreditType.AMA_PRA_1]
    assert set(ama.format_phrases) == set(ActivityFormat)
    assert "%(format)s" in str(ama.statement)


def test_ama_designation_statement_names_the_format_and_maximum():
    page = factories.activity()
    designation = page.designations.get()
    assert designation.designation_statement == (
        "The TeleCampus Medical School designates this enduring material for a "
        "maximum of 1.0 AMA PRA Category 1 Credit(s)™. Physicians should claim only "
        "the credit commensurate with the extent of their participation in the "
        "activity."
    )


@pytest.mark.parametrize(
    ("kind", "statement"),
    [
        (
            CreditType.NURSING_CONTACT_HOURS,
            "This activity is approved for a maximum of 1.5 nursing contact hour(s).",
        ),
        (
            CreditType.ABIM_MOC,
            "Successful completion of this CME activity enables the participant to "
            "earn up to 1.5 MOC points in the American Board of Internal Medicine's "
            "(ABIM) Maintenance of Certification (MOC) program.",
        ),
        (
            CreditType.PARTICIPATION,
            "Other health professionals receive a certificate of participation for "
            "up to 1.5 hour(s).",
        ),
    ],
)
def test_other_designation_statements(kind, statement):
    page = factories.activity(designations=[(kind, "1.50")])
    assert page.designations.get().designation_statement == statement


def test_live_activity_designation_says_live_activity():
    page = factories.activity(
        "Grand rounds", activity_format=ActivityFormat.RSS, lectures=0
    )
    assert "designates this live activity for a maximum of 1.0" in (
        page.designations.get().designation_statement
    )


def test_accreditation_statement_names_joint_provider():
    alone = factories.activity("Alone")
    joint = factories.activity("Joint", joint_provider_name="County Hospital")
    assert alone.accreditation_statement.startswith(
        "TeleCampus Medical School is accredited by the Accreditation Council"
    )
    assert "joint providership of TeleCampus Medical School and County Hospital" in (
        joint.accreditation_statement
    )


def test_ama_maximum_must_be_in_quarter_steps():
    page = factories.activity()
    designation = CreditDesignation(
        activity=page, credit_type=CreditType.AMA_PRA_1, max_amount=Decimal("1.1")
    )
    with pytest.raises(ValidationError, match="steps of 0.25"):
        designation.clean()
    designation.max_amount = Decimal("1.25")
    designation.clean()


def test_enduring_material_terminates_within_three_years():
    page = factories.activity()
    page.termination_date = page.release_date + datetime.timedelta(days=3 * 365 + 5)
    with pytest.raises(ValidationError, match="three years"):
        page.clean()
    page.last_review_date = page.release_date + datetime.timedelta(days=30)
    page.clean()


def test_disclosure_expires_after_twelve_months():
    today = timezone.localdate()
    year_ago = today - relativedelta(months=12)
    fresh = factories.person(
        "Fresh", collected_on=year_ago + datetime.timedelta(days=1)
    )
    stale = factories.person("Stale", collected_on=year_ago)
    assert not fresh.disclosure_is_expired(on=today)
    assert stale.disclosure_is_expired(on=today)


def test_disclosure_text_shows_companies_and_mitigation():
    mitigated = factories.person(
        "Dr Pharma", relationships=[("Acme Pharma", "Consultant", True)]
    )
    clean = factories.person("Dr Clean")
    page = factories.activity(people=[mitigated, clean])
    text = page.disclosure_text()
    assert "Acme Pharma: Consultant" in text
    assert "All relevant financial relationships have been mitigated." in text
    assert "No relevant financial relationships." in text
    version = page.disclosure_version_of(text)
    mitigated.relationships.update(mitigated=False)
    assert page.disclosure_version_of(page.disclosure_text()) != version


@pytest.mark.django_db
def test_lecture_embed_url_must_be_a_player_csp_allows():
    lecture = factories.lectures_of(factories.activity())[0]
    lecture.video_embed_url = "https://www.youtube.com/embed/abc123?start=5"
    lecture.clean()
    assert lecture.video_embed_url == (
        "https://www.youtube-nocookie.com/embed/abc123?start=5"
    )
    lecture.video_embed_url = "https://player.vimeo.com/video/76979871"
    lecture.clean()
    assert lecture.video_embed_url == "https://player.vimeo.com/video/76979871"
    for refused in (
        "https://example.com/embed/abc123",
        "https://www.youtube.com/watch?v=abc123",
        "http://player.vimeo.com/video/1",
        "https://vimeo.com.evil.example/video/1",
    ):
        lecture.video_embed_url = refused
        with pytest.raises(ValidationError) as error:
            lecture.clean()
        assert "video_embed_url" in error.value.message_dict
