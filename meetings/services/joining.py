"""Joining: who may enter which room when, with which token; ending a meeting.

Called by the join views, the meeting_link command and visits (join_context,
end_meeting for its video page).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services import Refusal
from meetings import jitsi
from meetings.models import AttendanceInterval, Guest, Meeting, Occurrence

GUEST_LINK_SALT = "meetings.guest-link"


class JoinRefused(Refusal):
    """This person may not join now; `.reason` (the Refusal's `message`) is a
    sentence for them."""

    code = "refused"
    status = 403

    def __init__(self, reason: str, *, next_start: datetime | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.next_start = next_start


class NotInvited(JoinRefused):
    code = "not_invited"


class TooEarly(JoinRefused):
    code = "too_early"


class Ended(JoinRefused):
    code = "ended"


@dataclass(frozen=True)
class JoinContext:
    domain: str
    room: str
    jwt: str | None
    is_moderator: bool
    external_api_url: str
    lobby: bool
    display_name: str
    email: str
    occurrence: Occurrence
    room_path: str

    @property
    def url(self) -> str:
        return jitsi.join_url(self.room, self.jwt)

    @property
    def room_is_open(self) -> bool:
        """No token: anyone who has the room's address can enter."""
        return self.jwt is None


def current_occurrence(meeting: Meeting, now: datetime) -> Occurrence:
    """The sitting whose join window is open now, or JoinRefused saying why not."""
    if meeting.status != Meeting.Status.SCHEDULED:
        raise Ended(_("This meeting has ended or was cancelled."))
    early = timedelta(minutes=settings.JITSI_EARLY_JOIN_MINUTES)
    late = timedelta(
        minutes=settings.JITSI_RECONNECT_GRACE_MINUTES
        + settings.MEETINGS_MAX_DURATION_MINUTES
    )
    candidates = meeting.occurrences.filter(
        Q(start__lte=now + early, start__gte=now - late)
        | Q(opened_at__lte=now, opened_at__gte=now - late),
        is_cancelled=False,
    ).order_by("start")
    for occurrence in candidates:
        opens, closes = occurrence.window()
        if opens <= now <= closes and occurrence.ended_at is None:
            return occurrence
    upcoming = (
        meeting.occurrences.filter(
            is_cancelled=False, ended_at__isnull=True, start__gt=now
        )
        .order_by("start")
        .first()
    )
    if upcoming:
        raise TooEarly(
            _(
                "This meeting has not opened yet. "
                "You can join shortly before it starts."
            ),
            next_start=upcoming.start,
        )
    raise Ended(_("This meeting has ended."))


def _context(
    *,
    meeting: Meeting,
    occurrence: Occurrence,
    participant: jitsi.Participant,
    lobby: bool,
) -> JoinContext:
    not_before, expires = occurrence.window()
    token = jitsi.mint_token(
        room=meeting.room_slug,
        participant=participant,
        not_before=not_before,
        expires=expires,
        enabled_features=jitsi.features(
            recording=meeting.recording_enabled,
            livestreaming=meeting.livestreaming_enabled,
            transcription=meeting.transcription_enabled,
        ),
    )
    return JoinContext(
        domain=settings.JITSI_DOMAIN,
        room=meeting.room_slug,
        room_path=jitsi.room_path(meeting.room_slug),
        jwt=token,
        is_moderator=participant.moderator,
        external_api_url=jitsi.external_api_url(),
        lobby=lobby,
        display_name=participant.name,
        email=participant.email,
        occurrence=occurrence,
    )


def join_context(*, meeting: Meeting, user, now: datetime | None = None) -> JoinContext:
    """The room, token and rights for this signed-in person now."""
    # A person who has left gets no new token, even through a session or a
    # code path that slipped past sign-in (accounts.leaving).
    if not user.is_active or not meeting.is_participant(user):
        raise NotInvited(_("You are not invited to this meeting."))
    occurrence = current_occurrence(meeting, now or timezone.now())
    moderator = meeting.is_host(user)
    participant = jitsi.Participant(
        id=str(user.uuid),
        name=user.display_name,
        # A visit room's email would name the patient to Jitsi (and Gravatar).
        email="" if meeting.kind_rule.patients_invited else user.email,
        moderator=moderator,
    )
    # Hosts switch the lobby on (the embed does it) and admit people from it.
    return _context(
        meeting=meeting,
        occurrence=occurrence,
        participant=participant,
        lobby=meeting.lobby_enabled,
    )


def guest_join_context(*, guest: Guest, now: datetime | None = None) -> JoinContext:
    """An outside guest: fixed name, member rights, waits in the lobby."""
    now = now or timezone.now()
    if not guest.link_is_valid(now):
        raise Ended(_("This invitation link has expired or was withdrawn."))
    occurrence = current_occurrence(guest.meeting, now)
    participant = jitsi.Participant(
        id=str(guest.uuid),
        name=guest.display_name,
        email=guest.email,
        moderator=False,
    )
    return _context(
        meeting=guest.meeting,
        occurrence=occurrence,
        participant=participant,
        lobby=True,
    )


def record_portal_join(
    *, join: JoinContext, user=None, guest: Guest | None = None
) -> AttendanceInterval:
    """Note that this person opened the room through the portal (a point in time)."""
    now = timezone.now()
    return AttendanceInterval.objects.create(
        occurrence=join.occurrence,
        user=user,
        guest=guest,
        source=AttendanceInterval.Source.PORTAL,
        joined_at=now,
        left_at=now,
    )


@transaction.atomic
def open_room_now(
    *, meeting: Meeting, now: datetime | None = None, margin: timedelta
) -> Occurrence:
    """A host opens the sitting whose start is within `margin` of now, early or
    late, so that everyone invited can join at once (a clinician admitting a
    patient). JoinRefused when no sitting is that close."""
    now = now or timezone.now()
    longest = timedelta(minutes=settings.MEETINGS_MAX_DURATION_MINUTES)
    occurrence = (
        meeting.occurrences.select_for_update()
        .filter(
            is_cancelled=False,
            ended_at__isnull=True,
            start__lte=now + margin,
            start__gte=now - margin - longest,
        )
        .order_by("start")
        .first()
    )
    if meeting.status != Meeting.Status.SCHEDULED or occurrence is None:
        raise TooEarly(_("This meeting cannot be opened now."))
    if occurrence.end + margin < now:
        raise Ended(_("This meeting has ended."))
    if occurrence.opened_at is None:
        occurrence.opened_at = now
        occurrence.save(update_fields=["opened_at"])
    return occurrence


@transaction.atomic
def end_meeting(*, meeting: Meeting) -> Meeting:
    """End the sitting under way (or the whole meeting when nothing else is ahead)."""
    now = timezone.now()
    early = timedelta(minutes=settings.JITSI_EARLY_JOIN_MINUTES)
    meeting.occurrences.filter(
        Q(start__lte=now + early) | Q(opened_at__lte=now), ended_at__isnull=True
    ).update(ended_at=now, next_reminder_at=None)
    ahead = meeting.occurrences.filter(
        is_cancelled=False, ended_at__isnull=True, start__gt=now
    )
    if not ahead.exists():
        meeting.status = Meeting.Status.ENDED
        meeting.ended_at = now
        meeting.save(update_fields=["status", "ended_at", "updated_at"])
    return meeting


def guest_link(guest: Guest) -> str:
    """The guest's personal join URL: signed, tied to a nonce that revoking replaces."""
    token = signing.dumps(
        {"g": str(guest.uuid), "n": guest.link_nonce}, salt=GUEST_LINK_SALT
    )
    return settings.BASE_URL + reverse("meetings:guest_join", args=[token])


def guest_from_link(token: str) -> Guest | None:
    """The guest a link belongs to, or None when it is forged, revoked or expired."""
    try:
        data = signing.loads(token, salt=GUEST_LINK_SALT)
        guest = Guest.objects.select_related("meeting").get(
            uuid=data["g"], link_nonce=data["n"]
        )
    except (signing.BadSignature, Guest.DoesNotExist, KeyError, TypeError, ValueError):
        return None
    return guest if guest.link_is_valid() else None


@transaction.atomic
def revoke_guest_link(*, guest: Guest) -> Guest:
    guest.revoked_at = timezone.now()
    guest.link_nonce = guest._meta.get_field("link_nonce").get_default()
    guest.save(update_fields=["revoked_at", "link_nonce"])
    return guest


def join_page_url(meeting: Meeting) -> str:
    return settings.BASE_URL + reverse("meetings:join", args=[meeting.uuid])
