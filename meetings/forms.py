import re
import zoneinfo
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from meetings.models import (
    ActionItem,
    Meeting,
    group_label,
    invitable_groups,
    only_invitable,
    validate_meeting_date,
)
from meetings.recurrence import LocalTimeError, build_rule, localize
from meetings.services.scheduling import (
    validate_guest_emails,
    validate_people,
    validate_title,
)

REPEAT_CHOICES = [
    ("", _("Does not repeat")),
    ("daily", _("Every day")),
    ("weekly", _("Every week")),
    ("monthly", _("Every month")),
]
SCHEDULABLE_KINDS = [
    (kind, label)
    for kind, label in Meeting.Kind.choices
    if Meeting.KIND_RULES[kind].schedulable
]


def _zone_label(name: str, now: datetime) -> str:
    offset = now.astimezone(ZoneInfo(name)).strftime("%z")
    sign, hours, minutes = offset[0], offset[1:3], offset[3:]
    return f"{name.replace('_', ' ')} (UTC{sign}{hours}:{minutes})"


def time_zone_choices(own_zone: str = "") -> list:
    """Every IANA zone with its current offset; the person's own zone first, in a
    group of its own, so the usual answer is the first one offered."""
    now = timezone.now()
    names = sorted(zoneinfo.available_timezones() - {"localtime"})
    others = [(name, _zone_label(name, now)) for name in names if name != own_zone]
    if own_zone not in names:
        return others
    return [
        (_("Your time zone"), [(own_zone, _zone_label(own_zone, now))]),
        (_("All time zones"), others),
    ]


class PersonChoiceField(forms.ModelMultipleChoiceField):
    """Staff only (see invitable_people), searchable by name or username."""

    widget = forms.CheckboxSelectMultiple(attrs={"class": "picker-list"})

    def __init__(self, **kwargs) -> None:
        queryset = only_invitable(User.objects.all()).order_by("full_name", "username")
        super().__init__(queryset=queryset, required=False, **kwargs)

    def label_from_instance(self, obj: User) -> str:
        return f"{obj.display_name} ({obj.username})"


class GroupChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple(attrs={"class": "picker-list"})

    def __init__(self, **kwargs) -> None:
        queryset = Group.objects.filter(invitable_groups()).order_by("name")
        super().__init__(queryset=queryset, required=False, **kwargs)

    def label_from_instance(self, obj: Group) -> str:
        return group_label(obj)


def _date_field(label, **kwargs) -> forms.DateField:
    return forms.DateField(
        label=label,
        validators=[validate_meeting_date],
        widget=forms.DateInput(attrs={"type": "date"}),
        **kwargs,
    )


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of meeting"), choices=SCHEDULABLE_KINDS)
    title = forms.CharField(label=_("Title"), max_length=200, strip=False)
    agenda = forms.CharField(
        label=_("Agenda"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    date = _date_field(_("Date"))
    start_time = forms.TimeField(
        label=_("Start time"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    end_date = _date_field(
        _("End date"),
        required=False,
        help_text=_("Leave empty when the meeting ends on the day it starts."),
    )
    end_time = forms.TimeField(
        label=_("End time"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    time_zone = forms.ChoiceField(label=_("Time zone"))
    repeat = forms.ChoiceField(
        label=_("Repeats"), choices=REPEAT_CHOICES, required=False
    )
    repeat_count = forms.IntegerField(
        label=_("Number of meetings in the series"), required=False, min_value=1
    )
    repeat_until = _date_field(_("Repeat until"), required=False)
    skip_dates = forms.CharField(
        label=_("Dates to skip"),
        required=False,
        help_text=_(
            "Dates in the series with no meeting, as YYYY-MM-DD, separated by commas."
        ),
    )
    invitees = PersonChoiceField(label=_("Invite people"))
    co_hosts = PersonChoiceField(
        label=_("Co-hosts (they can admit guests and moderate)")
    )
    groups = GroupChoiceField(label=_("Invite everyone in a role"))
    guest_emails = forms.CharField(
        label=_("Outside guests"),
        required=False,
        help_text=_("Email addresses, one per line or separated by commas."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    schedule_anyway = forms.BooleanField(
        label=_("Schedule anyway, although some people are already booked"),
        required=False,
    )

    def __init__(self, *args, viewer: User, **kwargs) -> None:
        kwargs.setdefault("initial", {}).setdefault("time_zone", viewer.time_zone)
        super().__init__(*args, **kwargs)
        self.viewer = viewer
        self.fields["time_zone"].choices = time_zone_choices(viewer.time_zone)
        # The organiser is in the meeting already; offering them is only noise.
        for name in ("invitees", "co_hosts"):
            field = self.fields[name]
            field.queryset = field.queryset.exclude(pk=viewer.pk)
        self.fields["guest_emails"].help_text = _(
            "Email addresses, one per line or separated by commas (at most %(max)d)."
        ) % {"max": settings.MEETINGS_MAX_GUESTS}

    def clean_title(self) -> str:
        return validate_title(self.cleaned_data["title"])

    def clean_guest_emails(self) -> list[str]:
        raw = re.split(r"[\s,;]+", self.cleaned_data["guest_emails"])
        return validate_guest_emails(raw)

    def clean_skip_dates(self) -> list:
        values = []
        for raw in re.split(r"[\s,;]+", self.cleaned_data["skip_dates"].strip()):
            if not raw:
                continue
            try:
                values.append(datetime.strptime(raw, "%Y-%m-%d").date())  # noqa: DTZ007 - a date only
            except ValueError:
                raise ValidationError(
                    _("“%(value)s” is not a date in the form YYYY-MM-DD.")
                    % {"value": raw}
                ) from None
            validate_meeting_date(values[-1])
        return values

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            validate_people(
                invitees=data["invitees"],
                co_hosts=data["co_hosts"],
                groups=data["groups"],
            )
        except ValidationError as error:
            self.add_error(None, error)
            return data
        zone = data["time_zone"]
        try:
            start = localize(data["date"], data["start_time"], zone)
        except LocalTimeError as error:
            self.add_error("start_time", str(error))
            return data
        try:
            end = localize(data["end_date"] or data["date"], data["end_time"], zone)
        except LocalTimeError as error:
            self.add_error("end_time", str(error))
            return data
        # Subtract in UTC: Python subtracts wall clocks when both share a zone,
        # which would be an hour off across a clock change.
        minutes = int(
            (end.astimezone(UTC) - start.astimezone(UTC)).total_seconds() // 60
        )
        if minutes <= 0:
            self.add_error("end_time", _("The meeting must end after it starts."))
        elif minutes > settings.MEETINGS_MAX_DURATION_MINUTES:
            self.add_error("end_time", _("A meeting can last at most 24 hours."))
        data["start"], data["duration_minutes"] = start, minutes
        data["recurrence_rule"] = ""
        data["exceptions"] = []
        if data.get("repeat"):
            self._clean_recurrence(data, start)
        elif data.get("repeat_count") or data.get("repeat_until") or data["skip_dates"]:
            self.add_error("repeat", _("Choose how often the meeting repeats."))
        return data

    def _clean_recurrence(self, data: dict, start: datetime) -> None:
        count, until_day = data.get("repeat_count"), data.get("repeat_until")
        if count and until_day:
            self.add_error(
                "repeat_until",
                _("Give either a number of meetings or an end date, not both."),
            )
            return
        if count and count > settings.MEETINGS_MAX_OCCURRENCES:
            self.add_error(
                "repeat_count",
                _("A series can have at most %(max)d meetings.")
                % {"max": settings.MEETINGS_MAX_OCCURRENCES},
            )
            return
        until = None
        if until_day:
            if until_day < data["date"]:
                self.add_error(
                    "repeat_until", _("The series cannot end before it starts.")
                )
                return
            until = datetime.combine(until_day, datetime.max.time()).replace(
                tzinfo=start.tzinfo
            )
        data["recurrence_rule"] = build_rule(
            frequency=data["repeat"], count=count, until=until
        )
        try:
            data["exceptions"] = [
                localize(day, data["start_time"], data["time_zone"])
                for day in data["skip_dates"]
            ]
        except LocalTimeError as error:
            self.add_error("skip_dates", str(error))

    # What schedule_meeting takes from this form, as cleaned.
    SERVICE_FIELDS = (
        "kind",
        "title",
        "agenda",
        "start",
        "duration_minutes",
        "time_zone",
        "recurrence_rule",
        "exceptions",
        "invitees",
        "co_hosts",
        "groups",
        "guest_emails",
    )

    def meeting_arguments(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.SERVICE_FIELDS}

    def series_was_open(self) -> bool:
        """A repeating series with no count and no end date (the service caps it)."""
        data = self.cleaned_data
        return bool(
            data["recurrence_rule"]
            and not data.get("repeat_count")
            and not data.get("repeat_until")
        )


class OccurrenceMoveForm(forms.Form):
    date = _date_field(_("Date"))
    start_time = forms.TimeField(
        label=_("Start time"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration in minutes"),
        min_value=1,
        max_value=settings.MEETINGS_MAX_DURATION_MINUTES,
        error_messages={
            "max_value": _("A meeting can last at most 24 hours."),
            "min_value": _("The meeting must end after it starts."),
        },
    )

    def __init__(self, *args, time_zone: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.time_zone = time_zone

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            data["start"] = localize(data["date"], data["start_time"], self.time_zone)
        except LocalTimeError as error:
            self.add_error("start_time", str(error))
        return data


class MinutesForm(forms.Form):
    text = forms.CharField(
        label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 8}), max_length=20000
    )


class ActionItemForm(forms.ModelForm):
    class Meta:
        model = ActionItem
        fields = ["description", "owner", "due_date"]
        widgets = {"due_date": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, participants, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = only_invitable(participants)
