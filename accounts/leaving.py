"""Leaving closes every door at once: deactivate_person and the hook apps join.

Called by the SCIM endpoints (`active: false`, DELETE) and by the site
administrators' deactivate screen. Accounts is the bottom layer and imports none
of the apps above it, so each of them connects a receiver to `person_deactivated`
(meetings: calendar feed, guest links, Jitsi; visits: referral shares, open
clinical work). A receiver closes its own doors inside the same transaction and
returns a `LeavingSteps`; this module turns the answers into the report the
administrator sees and one audit entry per door.

Hook for other apps (as visits does for its SMART app tokens)::

    from accounts.leaving import ClosedDoor, LeavingSteps, person_deactivated

    def _revoke_api_tokens(sender, *, person, actor, now, **kwargs) -> LeavingSteps:
        revoked = revoke_tokens_of(person)          # that app's own service
        return LeavingSteps(doors=[ClosedDoor.counted("api_tokens", revoked,
            ngettext("%(count)d token revoked.", "%(count)d tokens revoked.",
                     revoked))])

    # in that app's AppConfig.ready():
    person_deactivated.connect(_revoke_api_tokens, dispatch_uid="<app>.leaving")

A receiver that raises rolls the whole deactivation back: no half-closed exits.
"""

from dataclasses import asdict, dataclass, field
from datetime import datetime

import django.dispatch
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import AccountEvent, User

# Sent inside the deactivation's transaction with keyword arguments
# person (User, already inactive), actor (User or None), client (str: the SCIM
# client's name, or ""), now (datetime). Receivers return a LeavingSteps.
person_deactivated = django.dispatch.Signal()


@dataclass(frozen=True)
class ClosedDoor:
    """One way in that is now shut. `summary` is a sentence with no health data."""

    step: str
    count: int
    summary: str
    # "visits" when the receiver wrote its own entries in the PHI audit log.
    audited_in: str = "accounts"

    @classmethod
    def counted(
        cls, step: str, count: int, sentence: str, audited_in: str = "accounts"
    ) -> "ClosedDoor":
        """`sentence` is an ngettext() result with %(count)d in it (the literal
        strings stay at the call, where makemessages finds them)."""
        return cls(step, count, sentence % {"count": count}, audited_in)


@dataclass(frozen=True)
class OpenWork:
    """Clinical work the person leaves unfinished, for someone else to take over.

    Named by kind, date and reference only: the administrator reading the report
    need not see whose record it is."""

    kind: str
    reference: str
    summary: str
    # When it happened or is due (ISO 8601, UTC); the report shows it in the
    # reader's own zone.
    when: str = ""


@dataclass
class LeavingSteps:
    doors: list[ClosedDoor] = field(default_factory=list)
    open_work: list[OpenWork] = field(default_factory=list)


@dataclass
class LeavingReport:
    event_uuid: str
    person_uuid: str
    person_name: str
    at: str
    by: str
    doors: list[ClosedDoor]
    open_work: list[OpenWork]

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "LeavingReport":
        return cls(
            **{
                **data,
                "doors": [ClosedDoor(**door) for door in data.get("doors", [])],
                "open_work": [OpenWork(**work) for work in data.get("open_work", [])],
            }
        )


def end_sessions(person: User) -> int:
    """Delete every stored session signed in as `person`; returns how many.

    Sessions live in the database (Django's default engine) without an index by
    user, so this reads the unexpired ones; leaving is rare, sessions are few."""
    ended = 0
    key = str(person.pk)
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == key:
            session.delete()
            ended += 1
    return ended


def _actor_label(actor: User | None, client: str) -> str:
    if actor is not None:
        return actor.display_name
    if client:
        return _("The directory (%(client)s)") % {"client": client}
    return _("The system")


@transaction.atomic
def deactivate_person(
    *,
    person: User,
    actor: User | None = None,
    client: str = "",
    now: datetime | None = None,
) -> LeavingReport:
    """Make `person` inactive and close every door they had, in one transaction.

    Safe to call again on someone already inactive: the doors are closed again
    (anything reopened in between is caught) and a new report is written.
    Certificates they earned stay valid: nothing here touches them."""
    now = now or timezone.now()
    person.is_active = False
    person.save(update_fields=["is_active"])
    sessions = end_sessions(person)
    doors = [
        ClosedDoor.counted(
            "sessions",
            sessions,
            ngettext(
                "%(count)d signed-in session ended; signing in is refused.",
                "%(count)d signed-in sessions ended; signing in is refused.",
                sessions,
            ),
        )
    ]
    open_work: list[OpenWork] = []
    for _receiver, steps in person_deactivated.send(
        sender=User, person=person, actor=actor, client=client, now=now
    ):
        if steps:
            doors.extend(steps.doors)
            open_work.extend(steps.open_work)
    for door in doors:
        AccountEvent.objects.create(
            actor=actor,
            actor_client=client,
            subject=person,
            action=AccountEvent.Action.DOOR_CLOSED,
            step=door.step,
            detail=asdict(door),
        )
    event = AccountEvent(
        actor=actor,
        actor_client=client,
        subject=person,
        action=AccountEvent.Action.DEACTIVATED,
    )
    report = LeavingReport(
        event_uuid=str(event.uuid),
        person_uuid=str(person.uuid),
        person_name=person.display_name,
        at=now.isoformat(),
        by=_actor_label(actor, client),
        doors=doors,
        open_work=open_work,
    )
    event.detail = report.to_dict()
    event.save()
    return report


@transaction.atomic
def reactivate_person(
    *, person: User, actor: User | None = None, client: str = ""
) -> User:
    """Let a person sign in again. Doors closed at leaving stay closed: a new
    calendar address, new guest links and new referrals are made afresh."""
    person.is_active = True
    person.save(update_fields=["is_active"])
    AccountEvent.objects.create(
        actor=actor,
        actor_client=client,
        subject=person,
        action=AccountEvent.Action.REACTIVATED,
    )
    return person


def leaving_report(event: AccountEvent) -> LeavingReport:
    return LeavingReport.from_dict(event.detail)
