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
    assert set(Meeting.kinds(confidential=True)) == {
        Kind.CARE_COORDINATION,
        Kind.TELEMEDICINE_VISIT,
    }
    # Nothing confidential may keep free-text minutes.
    assert set(Meeting.kinds(records_allowed=False)) == set(
        Meeting.kinds(confidential=True)
    )
    assert Meeting.kinds(on_portal=False) == [Kind.TELEMEDICINE_VISIT]
    assert Meeting.kinds(patients_invited=True) == [Kind.TELEMEDICINE_VISIT]
    assert [kind for kind, _label in SCHEDULABLE_KINDS] == [
        Kind.ADMINISTRATIVE,
        Kind.CARE_COORDINATION,
        Kind.LECTURE,
    ]
    assert Meeting.kinds(confidential=True, on_portal=True) == [Kind.CARE_COORDINATION]


def test_a_meeting_reads_its_row_by_its_stored_value():
    meeting = Meeting(kind="care_coordination", title="Plan for bed 4")
    assert meeting.kind_rule is Meeting.KIND_RULES[Kind.CARE_COORDINATION]
    assert str(meeting) == "Care coordination meeting"
    # Not yet given a kind: still printable (repr, logs), shows its title.
    assert str(Meeting(title="Draft")) == "Draft"
