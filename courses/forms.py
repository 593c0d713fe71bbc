from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from courses.models import Evaluation
from courses.models.credit import format_amount

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
    """One select of every amount the learner may claim, grouped by credit type:
    only allowed steps up to the maximum can be chosen, so nothing is typed."""

    SEPARATOR = ":"

    credit = forms.ChoiceField(
        label=_("Credit to claim"),
        help_text=_("Choose the credit that matches the time you spent."),
        error_messages={
            "required": _("Choose the credit you claim from the list."),
            "invalid_choice": _("Choose the credit you claim from the list."),
        },
    )
    attested = forms.BooleanField(
        label=_(
            "I attest that I claim only the credit commensurate with the extent of "
            "my participation in the activity."
        ),
        required=False,
    )

    def __init__(self, *args, amounts_by_type: dict, **kwargs):
        """amounts_by_type: {(credit type, label): [Decimal, ...]}."""
        super().__init__(*args, **kwargs)
        choices = [("", _("Choose an amount"))]
        for (kind, label), amounts in amounts_by_type.items():
            choices.append(
                (
                    label,
                    [
                        (
                            f"{kind}{self.SEPARATOR}{amount}",
                            f"{format_amount(amount)} {label}",
                        )
                        for amount in amounts
                    ],
                )
            )
        self.fields["credit"].choices = choices

    def clean(self):
        cleaned = super().clean()
        if credit := cleaned.get("credit"):
            kind, _sep, amount = credit.partition(self.SEPARATOR)
            cleaned["credit_type"], cleaned["amount"] = kind, Decimal(amount)
        return cleaned


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
