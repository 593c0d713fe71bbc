"""Meeting.KIND_RULES: one row per kind, and what each kind is allowed."""

from meetings.forms import SCHEDULABLE_KINDS
from meetings.models import KindRule, Meeting

Kind = Meeting.Kind


def test_every_meeting_kind_has_one_rule_row():
    # A new Kind without its row would have no answer to "confidential?": the
    # table is where adding one starts, and every rule is decided there.
    assert set(Meeting.KIND_RULES) == set(Kind)
    assert all(isinstance(rule, KindRule) for rule in Meeting.KIND_RULES.values())


def test_the_rules_each_kind_gets():
    staff_meeting = KindRule(
        confidential=False,
        on_portal=True,
        schedulable=True,
        patients_invited=False,
    )
    assert Meeting.KIND_RULES[Kind.ADMINISTRATIVE] == staff_meeting
    assert Meeting.KIND_RULES[Kind.LECTURE] == staff_meeting
    assert Meeting.KIND_RULES[Kind.CARE_COORDINATION] == KindRule(
        confidential=True,
        on_portal=True,
        schedulable=True,
        patients_invited=False,
    )
    assert Meeting.KIND_RULES[Kind.TELEMEDICINE_VISIT] == KindRule(
        confidential=True,
        on_portal=False,
        schedulable=False,
        patients_invited=True,
    )


def test_rules_that_hold_for_every_kind():
    # Free-text minutes of a meeting whose title may name a patient would put
    # clinical discussion outside visits/.
    for kind, rule in Meeting.KIND_RULES.items():
        assert rule.records_allowed == (not rule.confidential), kind
    # Only the rooms visits makes take patients; they are not on the form.
    for kind in Meeting.kinds(patients_invited=True):
        assert not Meeting.KIND_RULES[kind].schedulable, kind
    # The form offers exactly the schedulable kinds, in Kind's order.
    assert [kind for kind, _label in SCHEDULABLE_KINDS] == Meeting.kinds(
        schedulable=True
    )


def test_a_meeting_reads_its_row_by_its_stored_value():
    meeting = Meeting(kind="care_coordination", title="Plan for bed 4")
    assert meeting.kind_rule is Meeting.KIND_RULES[Kind.CARE_COORDINATION]
    assert str(meeting) == "Care coordination meeting"
    # Not yet given a kind: still printable (repr, logs), shows its title.
    assert str(Meeting(title="Draft")) == "Draft"
