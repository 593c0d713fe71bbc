"""Meetings, their occurrences, invitees, reminders, attendance and minutes.

Times are stored in UTC with the meeting's IANA zone beside them. A series is
expanded into Occurrence rows (capped by MEETINGS_MAX_OCCURRENCES) so that
reminders, attendance and per-occurrence changes have a row to hang on.
"""

import secrets
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.services import STAFF_ROLES, Role, format_time, validate_time_zone

# Every date a person can enter in meetings lies in this window around today: far
# enough for a long series or an action due next year, near enough that adding a
# sitting's length, a reminder offset or a calendar margin never leaves the years
# Python and calendar programs handle (9999-12-31 broke every feed).
EARLIEST_DAYS_BACK = 366
LATEST_DAYS_AHEAD = 5 * 366


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def date_window(today: date | None = None) -> tuple[date, date]:
    today = today or timezone.localdate()
    return (
        today - timedelta(days=EARLIEST_DAYS_BACK),
        today + timedelta(days=LATEST_DAYS_AHEAD),
    )


def validate_meeting_date(value: date | datetime) -> None:
    """Refuse dates outside the window, with a sentence naming the window."""
    day = value.date() if isinstance(value, datetime) else value
    first, last = date_window()
    if not first <= day <= last:
        raise ValidationError(
            _("Please choose a date between %(first)s and %(last)s.")
            % {"first": format_time(first), "last": format_time(last)},
            code="date_out_of_window",
        )


def invitable_people() -> Q:
    """Who may be invited, made co-host or given an action: active staff only.

    Patients meet clinicians in visit rooms, which visits creates itself; they are
    never offered in a staff picker (and listing them there would be an unaudited
    look at who is a patient).
    """
    return Q(
        is_active=True, groups__name__in=[role.value for role in STAFF_ROLES]
    ) & ~Q(groups__name=Role.PATIENT.value)


def only_invitable(people: models.QuerySet) -> models.QuerySet:
    """`people` narrowed to invitable_people(), without join duplicates."""
    matching = people.model._base_manager.filter(
        invitable_people() & Q(pk=models.OuterRef("pk"))
    )
    return people.filter(models.Exists(matching))


def invitable_groups() -> Q:
    """Role groups of staff; never the patients, never Wagtail's own groups."""
    return Q(name__in=[role.value for role in STAFF_ROLES])


def group_label(group: Group) -> str:
    """The role's readable name ("Meeting administrator"), not the group's key."""
    try:
        return str(Role(group.name).label)
    except ValueError:
        return group.name


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user) -> "MeetingQuerySet":
        """Meetings this person organizes, co-hosts or is invited to."""
        return self.filter(
            Q(organizer=user)
            | Q(co_hosts=user)
            | Q(invitees=user)
            | Q(invitee_groups__in=user.groups.all())
        ).distinct()

    def on_portal(self) -> "MeetingQuerySet":
        """Meetings the generic meetings pages may show: visit rooms are entered only
        through the visit's own waiting room, never through /meetings/."""
        return self.exclude(kind__in=Meeting.kinds(on_portal=False))

    def not_confidential(self) -> "MeetingQuerySet":
        """Meetings whose details staff tools (the Wagtail admin) may show."""
        return self.exclude(kind__in=Meeting.kinds(confidential=True))


@dataclass(frozen=True)
class KindRule:
    """What varies by meeting kind: one row per Meeting.Kind in Meeting.KIND_RULES.

    confidential: title and agenda may mention a patient, so emails, calendar files
        and feeds show the kind's label instead; kept out of the Wagtail admin.
    on_portal: the generic meetings pages, feeds and reminders handle it (visit
        rooms have visits' own waiting room, admission and notices).
    schedulable: offered on the scheduling form (visits makes its own rooms).
    patients_invited: a patient may be invited, so invitees are not limited to
        staff; and no participant's email goes to Jitsi (it would name the patient).
    """

    confidential: bool
    on_portal: bool
    schedulable: bool
    patients_invited: bool

    @property
    def records_allowed(self) -> bool:
        """Minutes and action items are kept only where the title may not name a
        patient: free-text clinical discussion belongs in visits/."""
        return not self.confidential


class Meeting(models.Model):
    class Kind(models.TextChoices):
        ADMINISTRATIVE = "administrative", _("Administrative meeting")
        CARE_COORDINATION = "care_coordination", _("Care coordination meeting")
        LECTURE = "lecture", _("Lecture or grand rounds")
        TELEMEDICINE_VISIT = "telemedicine_visit", _("Telemedicine visit")

    class Status(models.TextChoices):
        # Scheduled: occurrences can be joined in their windows.
        SCHEDULED = "scheduled", _("Scheduled")
        # Cancelled: the whole series was called off; nobody can join.
        CANCELLED = "cancelled", _("Cancelled")
        # Ended: the organizer ended it; nobody can join any more.
        ENDED = "ended", _("Ended")

    KIND_RULES = {
        Kind.ADMINISTRATIVE: KindRule(
            confidential=False,
            on_portal=True,
            schedulable=True,
            patients_invited=False,
        ),
        Kind.CARE_COORDINATION: KindRule(
            confidential=True,
            on_portal=True,
            schedulable=True,
            patients_invited=False,
        ),
        Kind.LECTURE: KindRule(
            confidential=False,
            on_portal=True,
            schedulable=True,
            patients_invited=False,
        ),
        Kind.TELEMEDICINE_VISIT: KindRule(
            confidential=True,
            on_portal=False,
            schedulable=False,
            patients_invited=True,
        ),
    }

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    agenda = models.TextField(_("agenda"), blank=True)
    organizer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="organized_meetings",
        verbose_name=_("organizer"),
    )
    co_hosts = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        limit_choices_to=invitable_people,
        related_name="co_hosted_meetings",
        verbose_name=_("co-hosts"),
    )
    invitees = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        limit_choices_to=invitable_people,
        related_name="invited_meetings",
        verbose_name=_("invited people"),
    )
    invitee_groups = models.ManyToManyField(
        Group,
        blank=True,
        limit_choices_to=invitable_groups,
        related_name="meetings",
        verbose_name=_("invited groups"),
    )
    start = models.DateTimeField(_("first start (UTC)"))
    duration_minutes = models.PositiveIntegerField(_("duration in minutes"))
    time_zone = models.CharField(
        _("time zone"), max_length=64, validators=[validate_time_zone]
    )
    # RFC 5545 RRULE value without DTSTART, e.g. "FREQ=WEEKLY;COUNT=10"; "" = once.
    recurrence_rule = models.CharField(_("recurrence rule"), max_length=200, blank=True)
    room_slug = models.CharField(max_length=64, unique=True, editable=False)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.SCHEDULED
    )
    # RFC 5546 SEQUENCE: raised on every change attendees must see.
    sequence = models.PositiveIntegerField(default=0)
    lobby_enabled = models.BooleanField(_("lobby for guests"), default=True)
    recording_enabled = models.BooleanField(_("recording allowed"), default=False)
    livestreaming_enabled = models.BooleanField(
        _("livestreaming allowed"), default=False
    )
    transcription_enabled = models.BooleanField(
        _("transcription allowed"), default=False
    )
    # Lectures: the CME activity (courses) this session belongs to, by its uuid.
    cme_activity_uuid = models.UUIDField(_("CME activity"), null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["start"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        permissions = [("schedule_meeting", _("Can schedule meetings"))]

    def __str__(self) -> str:
        return self.public_title

    @property
    def duration(self) -> timedelta:
        return timedelta(minutes=self.duration_minutes)

    @classmethod
    def kinds(cls, **values: bool) -> list[str]:
        """The kinds whose KIND_RULES row has these values: kinds(confidential=True)."""
        return [
            kind
            for kind, rule in cls.KIND_RULES.items()
            if all(getattr(rule, name) == value for name, value in values.items())
        ]

    @property
    def kind_rule(self) -> KindRule:
        """This meeting's row of KIND_RULES."""
        return self.KIND_RULES[self.kind]

    @property
    def is_recurring(self) -> bool:
        return bool(self.recurrence_rule)

    @property
    def public_title(self) -> str:
        """The title safe for emails, calendar files and feeds (no patient details)."""
        # .get: __str__ (so repr and logs) must work on a meeting without a kind yet.
        rule = self.KIND_RULES.get(self.kind)
        if rule and rule.confidential:
            return str(self.Kind(self.kind).label)
        return self.title

    @property
    def public_agenda(self) -> str:
        return "" if self.kind_rule.confidential else self.agenda

    def hosts(self) -> set[int]:
        return {self.organizer_id, *self.co_hosts.values_list("pk", flat=True)}

    def is_host(self, user) -> bool:
        return user.pk in self.hosts()

    def participants(self):
        """Every invited person with an account (organizer and co-hosts included).

        Subqueries on the through tables (indexed by meeting) rather than joins, so
        the cost stays with this meeting, not with how many meetings exist.
        """
        through = Meeting.invitee_groups.through.objects.filter(meeting_id=self.pk)
        members = User.groups.through.objects.filter(
            group_id__in=through.values("group_id")
        )
        return User.objects.filter(
            Q(pk=self.organizer_id)
            | Q(
                pk__in=Meeting.co_hosts.through.objects.filter(
                    meeting_id=self.pk
                ).values("user_id")
            )
            | Q(
                pk__in=Meeting.invitees.through.objects.filter(
                    meeting_id=self.pk
                ).values("user_id")
            )
            | Q(pk__in=members.values("user_id"))
        )

    def is_participant(self, user) -> bool:
        return user.is_authenticated and self.participants().filter(pk=user.pk).exists()


class OccurrenceQuerySet(models.QuerySet):
    def active(self) -> "OccurrenceQuerySet":
        return self.filter(is_cancelled=False, meeting__status=Meeting.Status.SCHEDULED)


class Occurrence(models.Model):
    """One sitting of a meeting: the only one, or one of a series."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="occurrences"
    )
    # The start the recurrence rule gives (the RECURRENCE-ID); never changes.
    original_start = models.DateTimeField()
    start = models.DateTimeField(db_index=True)
    duration_minutes = models.PositiveIntegerField()
    is_cancelled = models.BooleanField(default=False)
    # Changed on its own (a RECURRENCE-ID override in calendar files).
    is_modified = models.BooleanField(default=False)
    ended_at = models.DateTimeField(null=True, blank=True)
    # A host opened the room on the spot, outside the usual early-join window (a
    # clinician admitting a checked-in patient early or late). The join window then
    # runs from this moment for the sitting's full length plus the reconnect grace.
    opened_at = models.DateTimeField(null=True, blank=True)
    # When the sweeper must next look at this occurrence; null = no reminder left.
    next_reminder_at = models.DateTimeField(null=True, blank=True)

    objects = OccurrenceQuerySet.as_manager()

    class Meta:
        ordering = ["start"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "original_start"], name="one_occurrence_per_slot"
            )
        ]
        indexes = [
            models.Index(
                fields=["next_reminder_at"],
                condition=Q(next_reminder_at__isnull=False),
                name="occurrence_reminder_due",
            )
        ]

    def __str__(self) -> str:
        return f"{self.meeting} {self.start:%Y-%m-%d %H:%M} UTC"

    @property
    def end(self) -> datetime:
        return self.start + timedelta(minutes=self.duration_minutes)

    def window(self) -> tuple[datetime, datetime]:
        """When people may join: early-join window before, reconnect grace after;
        widened to cover a room a host opened on the spot (`opened_at`)."""
        grace = timedelta(minutes=settings.JITSI_RECONNECT_GRACE_MINUTES)
        opens = self.start - timedelta(minutes=settings.JITSI_EARLY_JOIN_MINUTES)
        closes = self.end + grace
        if self.opened_at is not None:
            opens = min(opens, self.opened_at)
            closes = max(closes, self.opened_at + (self.end - self.start) + grace)
        return opens, closes


class Guest(models.Model):
    """An outside guest invited by email; joins through a signed link only."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="guests"
    )
    email = models.EmailField(_("email"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    # Part of the signed link; replacing it kills every link issued before.
    link_nonce = models.CharField(max_length=64, default=new_secret, editable=False)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "email"], name="one_guest_per_email"
            )
        ]

    def __str__(self) -> str:
        return self.name or self.email

    @property
    def display_name(self) -> str:
        return self.name or self.email.split("@", 1)[0]

    def link_is_valid(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and now < self.expires_at


class InvitationEmail(models.Model):
    """One calendar message to one person, handed to the mail outbox exactly once.

    `sent_at` is when the message was stored in the mail outbox (in the same
    transaction), not when the mail server accepted it: delivery and its retries
    are ops.outbox's (docs/decisions/0016).
    """

    class Method(models.TextChoices):
        REQUEST = "REQUEST", _("Invitation or update")
        CANCEL = "CANCEL", _("Cancellation")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="invitation_emails"
    )
    occurrence = models.ForeignKey(
        Occurrence, null=True, blank=True, on_delete=models.CASCADE
    )
    method = models.CharField(max_length=8, choices=Method.choices)
    recipient_email = models.EmailField()
    recipient_name = models.CharField(max_length=200, blank=True)
    guest = models.ForeignKey(Guest, null=True, blank=True, on_delete=models.CASCADE)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Why the message could not be built (data no calendar can carry); empty normally.
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.method} to {self.recipient_email}"


class Reminder(models.Model):
    """One reminder to one person for one occurrence at one offset: sent once."""

    occurrence = models.ForeignKey(
        Occurrence, on_delete=models.CASCADE, related_name="reminders"
    )
    email = models.EmailField()
    offset_minutes = models.PositiveIntegerField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE
    )
    guest = models.ForeignKey(Guest, null=True, blank=True, on_delete=models.CASCADE)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["occurrence", "email", "offset_minutes"],
                name="one_reminder_per_person_occurrence_offset",
            )
        ]
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=Q(sent_at__isnull=True),
                name="reminder_unsent",
            )
        ]

    def __str__(self) -> str:
        return f"{self.offset_minutes} min reminder to {self.email}"


class AttendanceInterval(models.Model):
    """A stretch of presence in the room (webhook) or a join through the portal."""

    class Source(models.TextChoices):
        PORTAL = "portal", _("Joined through the portal")
        JITSI = "jitsi", _("Reported by Jitsi")

    occurrence = models.ForeignKey(
        Occurrence, on_delete=models.CASCADE, related_name="attendance"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE
    )
    guest = models.ForeignKey(Guest, null=True, blank=True, on_delete=models.CASCADE)
    source = models.CharField(max_length=8, choices=Source.choices)
    # Jitsi's occupant JID pairs a "left" event with its "joined" event.
    occupant_jid = models.CharField(max_length=300, blank=True)
    joined_at = models.DateTimeField()
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["joined_at"]

    def __str__(self) -> str:
        return f"{self.source} {self.joined_at:%Y-%m-%d %H:%M}"


class JitsiEvent(models.Model):
    """Every webhook event accepted once; its key makes replays no-ops."""

    key = models.CharField(max_length=64, unique=True)
    event_name = models.CharField(max_length=64)
    room_slug = models.CharField(max_length=64)
    received_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.event_name} {self.room_slug}"


class CalendarFeed(models.Model):
    """A person's private calendar URL; regenerating the secret kills the old URL."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meeting_feed"
    )
    secret = models.CharField(max_length=64, unique=True, default=new_secret)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"


class Minutes(models.Model):
    occurrence = models.OneToOneField(
        Occurrence, on_delete=models.CASCADE, related_name="minutes"
    )
    text = models.TextField(_("minutes"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Minutes of {self.occurrence}"


class ActionItem(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    occurrence = models.ForeignKey(
        Occurrence, on_delete=models.CASCADE, related_name="action_items"
    )
    description = models.CharField(_("action"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        limit_choices_to=invitable_people,
        related_name="meeting_actions",
        verbose_name=_("owner"),
    )
    due_date = models.DateField(
        _("due date"), null=True, blank=True, validators=[validate_meeting_date]
    )
    done = models.BooleanField(_("done"), default=False)

    class Meta:
        ordering = ["done", "due_date", "pk"]

    def __str__(self) -> str:
        return self.description
