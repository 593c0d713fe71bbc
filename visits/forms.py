"""Visits' forms. Each field has a label; errors are full sentences."""

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.services import DATE_FORMAT, format_time
from visits.models import AuditEvent, Reading, ScheduleException, VisitType
from visits.models.scheduling import Weekday
from visits.questionnaires import QUESTIONNAIRES, SCALE, questionnaires_for

# What <input type="datetime-local"> sends and expects.
DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class VisitTypeChoiceForm(forms.Form):
    """The first booking step, posted so the kind of visit never sits in a URL."""

    visit_type = forms.ModelChoiceField(
        label=_("Kind of visit"),
        queryset=VisitType.objects.filter(is_active=True),
        to_field_name="uuid",
        error_messages={
            "invalid_choice": _("Please choose one of the kinds of visit.")
        },
    )


class BookingForm(forms.Form):
    slot = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("What would you like help with? (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class IntakeForm(forms.Form):
    """Built from the visit type: its free-text questions plus PHQ-9/GAD-7 items."""

    def __init__(self, *args, visit_type: VisitType, **kwargs):
        super().__init__(*args, **kwargs)
        for question in visit_type.intake_questions:
            self.fields[f"q_{question['key']}"] = forms.CharField(
                label=question["text"],
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        for key in questionnaires_for(visit_type.questionnaire):
            for number, item in enumerate(QUESTIONNAIRES[key], start=1):
                self.fields[f"{key}_{number}"] = forms.TypedChoiceField(
                    label=item,
                    choices=SCALE,
                    coerce=int,
                    widget=forms.RadioSelect,
                )

    def answers(self) -> dict[str, str]:
        return {
            name[2:]: value
            for name, value in self.cleaned_data.items()
            if name.startswith("q_")
        }

    def scores(self) -> dict[str, list[int]]:
        scores: dict[str, list[int]] = {}
        for key in QUESTIONNAIRES:
            items = [
                value
                for name, value in self.cleaned_data.items()
                if name.startswith(f"{key}_")
            ]
            if items:
                scores[key] = items
        return scores


class ConsentForm(forms.Form):
    agree = forms.BooleanField(
        label=_("I have read the consent above and I agree to it."), required=True
    )


class NoteForm(forms.Form):
    subjective = forms.CharField(
        label=_("Subjective"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    objective = forms.CharField(
        label=_("Objective"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    assessment = forms.CharField(
        label=_("Assessment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    plan = forms.CharField(
        label=_("Plan"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    patient_instructions = forms.CharField(
        label=_("Instructions for the patient"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AddendumForm(forms.Form):
    text = forms.CharField(
        label=_("Addendum"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class FollowUpForm(forms.Form):
    visit_type = forms.ModelChoiceField(
        label=_("Kind of visit"),
        queryset=VisitType.objects.filter(is_active=True),
        to_field_name="code",
    )
    within_days = forms.IntegerField(
        label=_("Within how many days"), min_value=1, max_value=365
    )
    note = forms.CharField(
        label=_("Note for the patient"), required=False, max_length=300
    )


class RefillRequestForm(forms.Form):
    clinician = forms.ChoiceField(label=_("Clinician"))
    medication = forms.CharField(label=_("Medication"), max_length=200)
    dosage = forms.CharField(label=_("Dose and how often"), max_length=200)

    def __init__(self, *args, clinicians, **kwargs):
        super().__init__(*args, **kwargs)
        self.clinicians = {str(c.uuid): c for c in clinicians}
        self.fields["clinician"].choices = [
            (key, person.display_name) for key, person in self.clinicians.items()
        ]


class RefillDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("deny", _("Deny"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason (required when you deny)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReadingForm(forms.Form):
    """The plausibility ranges live in services.monitoring (shared with uploads)."""

    kind = forms.ChoiceField(label=_("Measurement"), choices=Reading.Kind.choices)
    measured_at = forms.DateTimeField(
        label=_("Measured at (your local time)"),
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local"}, format=DATETIME_LOCAL
        ),
    )
    systolic = forms.IntegerField(label=_("Systolic (mm Hg)"), required=False)
    diastolic = forms.IntegerField(label=_("Diastolic (mm Hg)"), required=False)
    heart_rate = forms.IntegerField(
        label=_("Heart rate (beats per minute)"), required=False
    )

    def __init__(self, *args, zone: str, **kwargs):
        super().__init__(*args, **kwargs)
        # "Now" on the patient's own clock, the moment they most often mean.
        now = timezone.now().astimezone(ZoneInfo(zone)).replace(second=0, microsecond=0)
        self.fields["measured_at"].initial = now.replace(tzinfo=None)


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File"))


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(label=_("Image (PNG or JPEG) or PDF"))


class ThresholdForm(forms.Form):
    systolic_max = forms.IntegerField(label=_("Highest systolic (mm Hg)"))
    diastolic_max = forms.IntegerField(label=_("Highest diastolic (mm Hg)"))
    heart_rate_min = forms.IntegerField(label=_("Lowest heart rate (beats per minute)"))
    heart_rate_max = forms.IntegerField(
        label=_("Highest heart rate (beats per minute)")
    )


class ReferralForm(forms.Form):
    specialist = forms.ChoiceField(label=_("Specialist"))
    reason = forms.CharField(
        label=_("Reason for the referral"), widget=forms.Textarea(attrs={"rows": 3})
    )
    notes = forms.MultipleChoiceField(
        label=_("Signed notes to share"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    documents = forms.MultipleChoiceField(
        label=_("Documents and images to share"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    days = forms.IntegerField(
        label=_("Access lasts (days)"),
        min_value=1,
        max_value=90,
        help_text=_(
            "How many days the specialist can open what you share (at most 90)."
        ),
    )

    def __init__(self, *args, specialists, notes, documents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["days"].initial = settings.VISITS_REFERRAL_ACCESS_DAYS
        self.fields["specialist"].choices = [
            (str(s.uuid), s.display_name) for s in specialists
        ]
        self.fields["notes"].choices = [
            # The visit's date on the viewer's calendar (their zone is active).
            (
                str(n.uuid),
                f"{n.visit.visit_type.name}, "
                + format_time(n.visit.start, fmt=DATE_FORMAT, label=False),
            )
            for n in notes
        ]
        self.fields["documents"].choices = [(str(d.uuid), d.title) for d in documents]
        # An empty list of boxes to tick only raises the question what is missing.
        for name in ("notes", "documents"):
            if not self.fields[name].choices:
                del self.fields[name]


class CareMeetingForm(forms.Form):
    start = forms.DateTimeField(
        label=_("Start (your local time)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    duration_minutes = forms.IntegerField(
        label=_("Length in minutes"), min_value=10, max_value=120, initial=30
    )


class BreakGlassForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you need emergency access?"),
        min_length=15,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReviewForm(forms.Form):
    note = forms.CharField(
        label=_("Review note"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AuditSearchForm(forms.Form):
    patient = forms.CharField(
        label=_("Patient"),
        required=False,
        max_length=150,
        help_text=_("Name, username or record number."),
    )
    actor = forms.CharField(
        label=_("Who did it"),
        required=False,
        max_length=150,
        help_text=_("A staff member's (or anyone's) name or username."),
    )
    action = forms.ChoiceField(label=_("Action"), required=False)
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = forms.DateField(
        label=_("To (included)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    # Audit events exist from the portal's first year on, never in the future.
    EARLIEST = date(2000, 1, 1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("Any")), *AuditEvent.Action.choices]

    def _bounded(self, name: str) -> date | None:
        day = self.cleaned_data.get(name)
        latest = timezone.localdate() + timedelta(days=1)
        if day and not self.EARLIEST <= day <= latest:
            raise forms.ValidationError(
                _("Please choose a date between %(first)s and %(last)s.")
                % {"first": format_time(self.EARLIEST), "last": format_time(latest)}
            )
        return day

    def clean_date_from(self) -> date | None:
        return self._bounded("date_from")

    def clean_date_to(self) -> date | None:
        return self._bounded("date_to")

    def clean(self):
        data = super().clean()
        first, last = data.get("date_from"), data.get("date_to")
        if first and last and last < first:
            self.add_error("date_to", _("The end of the range is before its start."))
        return data

    def criteria(self) -> dict:
        """The raw values, for the session (JSON) and for binding again later."""
        return {name: self.data.get(name, "") for name in self.fields}


class WeeklyHoursForm(forms.Form):
    weekday = forms.TypedChoiceField(
        label=_("Day"),
        coerce=int,
        choices=Weekday.choices,
    )
    start_time = forms.TimeField(
        label=_("From (clinic time)"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    end_time = forms.TimeField(
        label=_("Until (clinic time)"), widget=forms.TimeInput(attrs={"type": "time"})
    )


class ScheduleExceptionForm(forms.Form):
    day = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=ScheduleException.Kind.choices)
    start_time = forms.TimeField(
        label=_("From (clinic time; empty for the whole day)"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
    )
    end_time = forms.TimeField(
        label=_("Until (clinic time)"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
    )


ISO_WEEKDAYS = [
    (1, _("Monday")),
    (2, _("Tuesday")),
    (3, _("Wednesday")),
    (4, _("Thursday")),
    (5, _("Friday")),
    (6, _("Saturday")),
    (7, _("Sunday")),
]


class MedicationScheduleForm(forms.Form):
    """Up to four times a day (wall-clock times in the patient's zone), the days
    of the week, and the first and optional last day."""

    time_1 = forms.TimeField(
        label=_("First time of day"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"required": _("Please give at least one time of day.")},
    )
    time_2 = forms.TimeField(
        label=_("Second time of day (optional)"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    time_3 = forms.TimeField(
        label=_("Third time of day (optional)"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    time_4 = forms.TimeField(
        label=_("Fourth time of day (optional)"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Days of the week"),
        choices=ISO_WEEKDAYS,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        initial=[day for day, _label in ISO_WEEKDAYS],
        error_messages={"required": _("Please choose at least one day of the week.")},
    )
    start_date = forms.DateField(
        label=_("First day"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end_date = forms.DateField(
        label=_("Last day (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error(
                "end_date", _("The last day must not be before the first day.")
            )
        return cleaned

    def schedule_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "times_of_day": [
                data[f"time_{n}"] for n in range(1, 5) if data.get(f"time_{n}")
            ],
            "weekdays": data["weekdays"],
            "start_date": data["start_date"],
            "end_date": data.get("end_date"),
        }
