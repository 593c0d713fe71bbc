import datetime
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from accounts.models import Profession
from courses import services
from courses.models import ActivityFormat, CreditClaim, CreditType, Enrolment
from courses.services import CourseRuleError
from courses.signals import credit_claimed
from tests.conftest import make_person
from tests.courses import factories
from tests.courses.conftest import evaluate, pass_post_test, watch_all

pytestmark = pytest.mark.django_db


def claim(enrolment, amount="0.75", credit_type=CreditType.AMA_PRA_1, **kwargs):
    return services.claim_credit(
        enrolment=enrolment,
        credit_type=credit_type,
        amount=Decimal(amount),
        attested=kwargs.pop("attested", True),
        **kwargs,
    )


def refusal_code(enrolment, amount="0.75", **kwargs) -> str:
    with pytest.raises(CourseRuleError) as refused:
        claim(enrolment, amount, **kwargs)
    assert not CreditClaim.objects.filter(enrolment=enrolment).exists()
    return refused.value.code


def test_claim_completes_the_enrolment_and_signals_once(
    ready_to_claim, django_capture_on_commit_callbacks
):
    received = []

    def listener(sender, claim, **kwargs):
        received.append((sender, claim))

    credit_claimed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=False) as after_commit:
            granted = claim(ready_to_claim)
        # Not before the claim is committed: a certificate worker would not find it.
        assert received == []
        for callback in after_commit:
            callback()
    finally:
        credit_claimed.disconnect(listener)
    assert received == [(CreditClaim, granted)]
    assert granted.amount == Decimal("0.75")
    assert granted.learner == ready_to_claim.learner
    assert granted.activity == ready_to_claim.activity
    ready_to_claim.refresh_from_db()
    assert ready_to_claim.status == Enrolment.Status.COMPLETE
    assert ready_to_claim.completed_at == granted.claimed_at


def test_claim_above_the_maximum_is_refused(ready_to_claim):
    assert refusal_code(ready_to_claim, "1.25") == "above_maximum"
    assert claim(ready_to_claim, "1.0").amount == Decimal("1.0")


def test_claim_not_in_quarter_steps_is_refused(ready_to_claim):
    assert refusal_code(ready_to_claim, "0.8") == "quarter_steps"


def test_nothing_or_garbage_is_refused(ready_to_claim):
    assert refusal_code(ready_to_claim, "0") == "amount_not_positive"
    with pytest.raises(CourseRuleError) as refused:
        services.credit.parse_amount("lots")
    assert refused.value.code == "amount_not_a_number"


def test_claim_before_the_lectures_are_complete_is_refused(enrolment):
    evaluate_is_locked = pytest.raises(CourseRuleError)
    with evaluate_is_locked:
        evaluate(enrolment)
    assert refusal_code(enrolment) == "lectures_incomplete"


def test_claim_before_passing_is_refused(enrolment):
    watch_all(enrolment)
    assert refusal_code(enrolment) == "not_passed"


def test_claim_before_the_evaluation_is_refused(enrolment):
    watch_all(enrolment)
    pass_post_test(enrolment)
    assert refusal_code(enrolment) == "not_evaluated"


def test_claim_without_attestation_is_refused(ready_to_claim):
    assert refusal_code(ready_to_claim, attested=False) == "not_attested"


def test_claim_after_termination_is_refused_but_content_stays(ready_to_claim):
    activity = ready_to_claim.activity
    after = datetime.datetime.combine(
        activity.termination_date + datetime.timedelta(days=1),
        datetime.time(12),
        tzinfo=activity.zone,
    )
    with time_machine.travel(after):
        assert refusal_code(ready_to_claim) == "terminated"
        assert activity.live


def test_only_designated_credit_types_can_be_claimed(ready_to_claim):
    code = refusal_code(ready_to_claim, credit_type=CreditType.NURSING_CONTACT_HOURS)
    assert code == "not_designated"


def test_non_physicians_get_participation_not_ama_credit(db):
    page = factories.activity(
        designations=[(CreditType.AMA_PRA_1, "1.0"), (CreditType.PARTICIPATION, "1.0")]
    )
    nurse = make_person("nurse", [], profession=Profession.NURSE)
    enrolment = services.enrol(learner=nurse, activity=page)
    watch_all(enrolment)
    pass_post_test(enrolment)
    evaluate(enrolment)
    assert refusal_code(enrolment) == "profession"
    granted = claim(enrolment, credit_type=CreditType.PARTICIPATION)
    assert granted.credit_type == CreditType.PARTICIPATION


def test_one_claim_per_credit_type(ready_to_claim):
    claim(ready_to_claim, "0.5")
    with pytest.raises(CourseRuleError) as refused:
        claim(ready_to_claim, "0.5")
    assert refused.value.code == "already_claimed"


@pytest.fixture
def live_enrolment(clinician):
    now = timezone.now()
    page = factories.activity(
        "Grand rounds",
        activity_format=ActivityFormat.RSS,
        lectures=0,
        questions=[],
        designations=[(CreditType.AMA_PRA_1, "1.5")],
        session_starts_at=now - datetime.timedelta(minutes=30),
        session_ends_at=now + datetime.timedelta(minutes=40),
        code_word="stethoscope",
    )
    enrolment = services.enrol(learner=clinician, activity=page)
    evaluate(enrolment)
    return enrolment


def test_live_claim_needs_evidence_of_attendance(live_enrolment):
    assert refusal_code(live_enrolment, "0.25") == "above_attendance"


def test_code_word_in_the_session_window_supports_the_session_length(live_enrolment):
    services.confirm_code_word(enrolment=live_enrolment, code_word=" Stethoscope ")
    # 70 minutes of session, rounded down to the quarter hour: 1.0.
    assert services.live_cap(live_enrolment) == Decimal("1.0")
    assert refusal_code(live_enrolment, "1.25") == "above_attendance"
    assert claim(live_enrolment, "1.0").amount == Decimal("1.0")


@pytest.mark.parametrize(
    ("code_word", "shift_minutes", "code"),
    [("scalpel", 0, "wrong_code_word"), ("stethoscope", 60, "outside_session")],
)
def test_code_word_refusals(live_enrolment, code_word, shift_minutes, code):
    with pytest.raises(CourseRuleError) as refused:
        services.confirm_code_word(
            enrolment=live_enrolment,
            code_word=code_word,
            now=timezone.now() + datetime.timedelta(minutes=shift_minutes),
        )
    assert refused.value.code == code
    live_enrolment.refresh_from_db()
    assert live_enrolment.code_word_confirmed_at is None


@pytest.mark.parametrize(
    ("minutes", "hours"), [(0, "0"), (14, "0"), (44, "0.5"), (60, "1")]
)
def test_attendance_rounds_down_to_the_quarter_hour(minutes, hours):
    assert services.credit.quarter_hours_floor(minutes) == Decimal(hours)


def attend(enrolment, minutes: int, *, organizer):
    from meetings.models import AttendanceInterval, Meeting
    from meetings.services.scheduling import schedule_meeting

    activity = enrolment.activity
    meeting = schedule_meeting(
        organizer=organizer,
        kind=Meeting.Kind.LECTURE,
        title=activity.title,
        start=activity.session_starts_at,
        duration_minutes=70,
        time_zone=activity.time_zone,
        cme_activity_uuid=activity.uuid,
        send_invitations=False,
    )
    occurrence = meeting.occurrences.get()
    joined = occurrence.start + datetime.timedelta(minutes=2)
    AttendanceInterval.objects.create(
        occurrence=occurrence,
        user=enrolment.learner,
        source=AttendanceInterval.Source.JITSI,
        joined_at=joined,
        left_at=joined + datetime.timedelta(minutes=minutes),
    )
    return meeting


def test_live_claim_is_capped_by_attendance_minutes(live_enrolment, coordinator):
    attend(live_enrolment, 44, organizer=coordinator)
    # 44 minutes present: 0.5 hours, rounded down to the quarter hour.
    assert services.live_cap(live_enrolment) == Decimal("0.5")
    assert refusal_code(live_enrolment, "0.75") == "above_attendance"
    assert claim(live_enrolment, "0.5").amount == Decimal("0.5")
