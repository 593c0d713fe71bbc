"""Enrolment, the disclosure gate and live attendance by code word.

Called by courses' views and demo; every function takes keyword arguments only.
"""

import datetime
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from courses.models import ActivityPage, DisclosureAcknowledgement, Enrolment
from courses.services.errors import CourseRuleError


def enrol(*, learner: User, activity: ActivityPage) -> Enrolment:
    """Enrol the learner (once; enrolling again returns the same enrolment)."""
    if not activity.live:
        raise CourseRuleError(
            "not_published", _("This activity is not open for enrolment."), status=404
        )
    try:
        with transaction.atomic():
            enrolment, _created = Enrolment.objects.get_or_create(
                learner=learner, activity=activity
            )
    except IntegrityError:
        # A simultaneous enrol() won the race; its row is the enrolment.
        enrolment = Enrolment.objects.get(learner=learner, activity=activity)
    return enrolment


def current_disclosure(activity: ActivityPage) -> tuple[str, str]:
    """(version, text) of the activity's disclosure as it stands now."""
    text = activity.disclosure_text()
    return activity.disclosure_version_of(text), text


def has_passed_gate(enrolment: Enrolment) -> bool:
    version, _text = current_disclosure(enrolment.activity)
    return enrolment.acknowledgements.filter(disclosure_version=version).exists()


@transaction.atomic
def acknowledge_disclosure(
    *, enrolment: Enrolment, disclosure_version: str
) -> DisclosureAcknowledgement:
    """Store that the learner acknowledged exactly the disclosure version they saw.

    A version that no longer matches (faculty or relationships changed while the
    page was open) is refused so the learner reads the new text first.
    """
    version, text = current_disclosure(enrolment.activity)
    if disclosure_version != version:
        raise CourseRuleError(
            "disclosure_changed",
            _(
                "The disclosure changed while you were reading it. Please read the "
                "updated disclosure and acknowledge it again."
            ),
            status=409,
        )
    acknowledgement, _created = DisclosureAcknowledgement.objects.get_or_create(
        enrolment=enrolment,
        disclosure_version=version,
        defaults={"disclosure_text": text},
    )
    return acknowledgement


@transaction.atomic
def confirm_code_word(
    *, enrolment: Enrolment, code_word: str, now: datetime.datetime | None = None
) -> Enrolment:
    """Record live attendance by the code word announced during the session."""
    now = now or timezone.now()
    activity = enrolment.activity
    if not activity.is_live or not activity.code_word:
        raise CourseRuleError(
            "no_code_word", _("This activity does not use an attendance code word.")
        )
    starts, ends = activity.session_starts_at, activity.session_ends_at
    if not starts or not ends or not starts <= now <= ends:
        raise CourseRuleError(
            "outside_session",
            _("The code word can only be entered while the live session is running."),
        )
    if not secrets.compare_digest(
        code_word.strip().casefold().encode(), activity.code_word.casefold().encode()
    ):
        raise CourseRuleError(
            "wrong_code_word", _("That code word is not correct. Please try again.")
        )
    enrolment.code_word_confirmed_at = now
    enrolment.save(update_fields=["code_word_confirmed_at"])
    return enrolment
