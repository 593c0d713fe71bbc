from django import forms
from django.utils.translation import gettext_lazy as _

from courses.models import Evaluation

RATING_CHOICES = [
    (5, _("5: strongly agree")),
    (4, _("4: agree")),
    (3, _("3: neutral")),
    (2, _("2: disagree")),
    (1, _("1: strongly disagree")),
]


class AcknowledgeForm(forms.Form):
    disclosure_version = forms.CharField(widget=forms.HiddenInput)
    acknowledged = forms.BooleanField(
        label=_("I have read the disclosures, objectives and credit information above.")
    )


class EvaluationForm(forms.ModelForm):
    objectives_met = forms.TypedChoiceField(
        label=Evaluation._meta.get_field("objectives_met").verbose_name,
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    relevance = forms.TypedChoiceField(
        label=Evaluation._meta.get_field("relevance").verbose_name,
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    quality = forms.TypedChoiceField(
        label=Evaluation._meta.get_field("quality").verbose_name,
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Evaluation
        fields = [
            "objectives_met",
            "relevance",
            "quality",
            "free_of_bias",
            "comments",
            "commitment_to_change",
        ]
        widgets = {
            "comments": forms.Textarea(attrs={"rows": 3}),
            "commitment_to_change": forms.Textarea(attrs={"rows": 3}),
        }


class ClaimForm(forms.Form):
    credit_type = forms.ChoiceField(label=_("Type of credit"))
    amount = forms.CharField(
        label=_("Credit claimed"),
        max_length=8,
        help_text=_("In steps of 0.25, up to the maximum shown."),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    attested = forms.BooleanField(
        label=_(
            "I attest that I claim only the credit commensurate with the extent of "
            "my participation in the activity."
        ),
        required=False,
    )

    def __init__(self, *args, credit_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["credit_type"].choices = credit_choices


class CodeWordForm(forms.Form):
    code_word = forms.CharField(label=_("Code word announced in the session"))


class BoardReportingForm(forms.Form):
    consent = forms.BooleanField(
        label=_(
            "I consent to TeleCampus reporting my completed CME to my certifying board."
        ),
        required=False,
    )
    board = forms.CharField(
        label=_("Certifying board"),
        max_length=120,
        required=False,
        help_text=_("For example ABIM."),
    )
    board_id = forms.CharField(label=_("Board ID"), max_length=64, required=False)
    birth_month = forms.TypedChoiceField(
        label=_("Birth month"),
        choices=[("", "—")] + [(m, m) for m in range(1, 13)],
        coerce=int,
        empty_value=None,
        required=False,
    )
    birth_day = forms.TypedChoiceField(
        label=_("Birth day"),
        choices=[("", "—")] + [(d, d) for d in range(1, 32)],
        coerce=int,
        empty_value=None,
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("board_id") and not cleaned.get("board"):
            self.add_error("board", _("Name the board that issued this ID."))
        return cleaned
