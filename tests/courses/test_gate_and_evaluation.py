import pytest

from courses import services
from courses.models import DisclosureAcknowledgement, FinancialRelationship
from courses.services import CourseRuleError
from courses.services.enrolment import current_disclosure
from tests.courses.conftest import evaluate, pass_post_test, watch_all

pytestmark = pytest.mark.django_db


def test_enrolling_twice_is_one_enrolment(activity_page, clinician):
    first = services.enrol(learner=clinician, activity=activity_page)
    assert services.enrol(learner=clinician, activity=activity_page) == first


def test_unpublished_activity_cannot_be_enrolled(activity_page, clinician):
    activity_page.unpublish()
    with pytest.raises(CourseRuleError):
        services.enrol(learner=clinician, activity=activity_page)


def test_acknowledgement_stores_version_text_and_time(activity_page, clinician):
    enrolment = services.enrol(learner=clinician, activity=activity_page)
    assert not services.has_passed_gate(enrolment)
    version, text = current_disclosure(activity_page)
    ack = services.acknowledge_disclosure(
        enrolment=enrolment, disclosure_version=version
    )
    assert (ack.disclosure_version, ack.disclosure_text) == (version, text)
    assert ack.acknowledged_at is not None
    assert services.has_passed_gate(enrolment)


def test_a_changed_disclosure_must_be_acknowledged_again(enrolment):
    old_version, _text = current_disclosure(enrolment.activity)
    person = enrolment.activity.people.first().person
    FinancialRelationship.objects.create(
        person=person,
        company="Acme",
        nature="Speaker",
        mitigated=True,
        collected_on=person.disclosure_collected_on,
    )
    assert not services.has_passed_gate(enrolment)
    with pytest.raises(CourseRuleError) as refused:
        services.acknowledge_disclosure(
            enrolment=enrolment, disclosure_version=old_version
        )
    assert refused.value.code == "disclosure_changed"
    assert DisclosureAcknowledgement.objects.filter(enrolment=enrolment).count() == 1


def test_evaluation_needs_a_passed_post_test_and_is_taken_once(enrolment):
    watch_all(enrolment)
    with pytest.raises(CourseRuleError) as refused:
        evaluate(enrolment)
    assert refused.value.code == "evaluation_locked"
    pass_post_test(enrolment)
    evaluate(enrolment)
    with pytest.raises(CourseRuleError) as again:
        evaluate(enrolment)
    assert again.value.code == "already_evaluated"


def test_evaluation_summary_for_the_coordinator(ready_to_claim):
    summary = services.evaluation_summary(ready_to_claim.activity)
    assert summary["count"] == 1
    assert summary["objectives_met"] == 5
    assert summary["bias_reported"] == 0
    assert summary["commitments"] == [
        "I will ask patients for home blood pressure logs."
    ]
