"""Everything that knows about Jitsi Meet: room names, tokens, URLs, webhook events.

Tokens follow what Prosody's token plugin (mod_auth_token / luajwtjitsi) checks:
header typ JWT + the configured alg (HS256 with the app secret, or RS256 with a
private key and its kid), iss = app id, aud = "jitsi", sub = XMPP domain or tenant,
room = the slug, nbf/exp = the join window, and context.user/context.features.
No other module imports PyJWT for Jitsi or builds a Jitsi URL.
"""

import secrets
import string
from dataclasses import dataclass
from datetime import UTC, datetime

import jwt
from django.conf import settings

ROOM_ALPHABET = string.ascii_lowercase + string.digits
# 20 characters of a 36-letter alphabet: log2(36) * 20 = 103 bits of randomness.
ROOM_RANDOM_CHARS = 20
# Every feature the token plugin knows, always listed explicitly.
FEATURES = (
    "recording",
    "livestreaming",
    "transcription",
    "outbound-call",
    "sip-outbound-call",
    "inbound-call",
    "sip-inbound-call",
    "file-upload",
    "list-visitors",
)


def new_room_slug() -> str:
    """A room name that says nothing about the meeting or the people in it."""
    chars = "".join(secrets.choice(ROOM_ALPHABET) for _ in range(ROOM_RANDOM_CHARS))
    return "-".join(chars[i : i + 5] for i in range(0, ROOM_RANDOM_CHARS, 5))


def tokens_enabled() -> bool:
    return bool(
        settings.JITSI_APP_ID
        and (settings.JITSI_APP_SECRET or settings.JITSI_PRIVATE_KEY)
    )


def algorithm() -> str:
    return "RS256" if settings.JITSI_PRIVATE_KEY else "HS256"


def room_path(room: str) -> str:
    """The room as Jitsi addresses it: "tenant/room" or just "room"."""
    tenant = settings.JITSI_TENANT.strip("/").lower()
    return f"{tenant}/{room}" if tenant else room


def room_url(room: str) -> str:
    return f"https://{settings.JITSI_DOMAIN}/{room_path(room)}"


def external_api_url() -> str:
    return f"https://{settings.JITSI_DOMAIN}/external_api.js"


@dataclass(frozen=True)
class Participant:
    id: str
    name: str
    # Empty leaves the address out of the token: Jitsi shows it to the others in the
    # room and its web client derives a Gravatar request from it.
    email: str
    moderator: bool


def features(
    *, recording: bool, livestreaming: bool, transcription: bool
) -> dict[str, bool]:
    enabled = {
        "recording": recording,
        "livestreaming": livestreaming,
        "transcription": transcription,
    }
    return {name: enabled.get(name, False) for name in FEATURES}


def mint_token(
    *,
    room: str,
    participant: Participant,
    not_before: datetime,
    expires: datetime,
    enabled_features: dict[str, bool],
) -> str | None:
    """The JWT one person uses for one occurrence; None when tokens are not set up."""
    if not tokens_enabled():
        return None
    tenant = settings.JITSI_TENANT.strip("/").lower()
    payload = {
        "iss": settings.JITSI_APP_ID,
        "aud": "jitsi",
        "sub": tenant or settings.JITSI_XMPP_DOMAIN,
        "room": room,
        "nbf": int(not_before.timestamp()),
        "exp": int(expires.timestamp()),
        "context": {
            "user": {
                "id": participant.id,
                "name": participant.name,
                "moderator": participant.moderator,
                "affiliation": "owner" if participant.moderator else "member",
            },
            "features": dict(enabled_features),
        },
    }
    if participant.email:
        payload["context"]["user"]["email"] = participant.email
    headers = {"typ": "JWT"}
    if algorithm() == "RS256":
        headers["kid"] = settings.JITSI_KID
        key = settings.JITSI_PRIVATE_KEY
    else:
        key = settings.JITSI_APP_SECRET
    return jwt.encode(payload, key, algorithm=algorithm(), headers=headers)


def join_url(room: str, token: str | None) -> str:
    url = room_url(room)
    return f"{url}?jwt={token}" if token else url


@dataclass(frozen=True)
class RoomEvent:
    """A Prosody event-sync webhook, reduced to what attendance needs."""

    name: str  # room_created, room_destroyed, occupant_joined, occupant_left
    room: str
    at: datetime
    participant_id: str = ""
    occupant_jid: str = ""
    # Breakout rooms report their main room's name; is_breakout tells them apart.
    is_breakout: bool = False


_EVENT_NAMES = {
    "muc-room-created": ("room_created", "created_at"),
    "muc-room-destroyed": ("room_destroyed", "destroyed_at"),
    "muc-occupant-joined": ("occupant_joined", "joined_at"),
    "muc-occupant-left": ("occupant_left", "left_at"),
}


class BadEvent(ValueError):
    pass


def room_from_node(node: str) -> str:
    """Our room slug from the MUC node event-sync sends as room_name.

    On a multi-tenant deployment (https://domain/tenant/room) Jitsi names the room
    "[tenant]room" internally; without a tenant it is just "room".
    """
    node = node.split("@", 1)[0]
    if node.startswith("["):
        _tenant, closed, room = node[1:].partition("]")
        if closed:
            return room
    return node


def parse_event(payload: dict) -> RoomEvent:
    """Read one event-sync POST body; raises BadEvent for anything malformed."""
    if not isinstance(payload, dict):
        raise BadEvent("payload is not an object")
    try:
        name, time_field = _EVENT_NAMES[payload["event_name"]]
        room = room_from_node(str(payload["room_name"]))
        occupant = payload.get("occupant") or {}
        if not isinstance(occupant, dict):
            raise BadEvent("occupant is not an object")
        raw_time = occupant.get(time_field) or payload.get(time_field)
        at = datetime.fromtimestamp(int(raw_time), tz=UTC)
    except (KeyError, TypeError, ValueError, OverflowError, OSError) as error:
        raise BadEvent(str(error)) from None
    return RoomEvent(
        name=name,
        room=room,
        at=at,
        participant_id=str(occupant.get("id") or ""),
        occupant_jid=str(occupant.get("occupant_jid") or ""),
        is_breakout=payload.get("is_breakout") is True,
    )
