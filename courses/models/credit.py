"""Activity formats, credit types and the credit each activity designates."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable

from accounts.models import Profession

QUARTER = Decimal("0.25")
HUNDREDTH = Decimal("0.01")


class ActivityFormat(models.TextChoices):
    ENDURING = "enduring", _("Enduring material")
    LIVE_COURSE = "live_course", _("Live course")
    RSS = "rss", _("Regularly scheduled series")
    INTERNET_LIVE = "internet_live", _("Internet live course")


LIVE_FORMATS = frozenset(
    {ActivityFormat.LIVE_COURSE, ActivityFormat.RSS, ActivityFormat.INTERNET_LIVE}
)


class CreditType(models.TextChoices):
    AMA_PRA_1 = "ama_pra_1", _("AMA PRA Category 1 Credit™")
    NURSING_CONTACT_HOURS = "nursing_contact_hours", _("Nursing contact hours")
    PARTICIPATION = "participation", _("Certificate of participation (hours)")
    ABIM_MOC = "abim_moc", _("ABIM MOC points")


@dataclass(frozen=True)
class CreditRule:
    """What varies by credit type: one row per CreditType in CREDIT_RULES.

    step: QUARTER (designated and claimed in steps of 0.25) or HUNDREDTH (any
    amount the fields store; nursing contact hours).
    professions: the learner professions that may claim it; None for everyone.
    statement: the designation statement, filled with provider, amount and format.
    format_phrases: the accreditor's wording for each activity format, which the
    statement must use (AMA's booklet; the certificate checklist checks it too).
    The label is CreditType's own.
    """

    step: Decimal
    professions: frozenset[str] | None
    statement: Promise
    format_phrases: Mapping[str, str] = field(default_factory=dict)


CREDIT_RULES: dict[CreditType, CreditRule] = {
    CreditType.AMA_PRA_1: CreditRule(
        step=QUARTER,
        professions=frozenset({Profession.PHYSICIAN}),
        statement=_(
            "The %(provider)s designates this %(format)s for a maximum of "
            "%(amount)s AMA PRA Category 1 Credit(s)™. Physicians should "
            "claim only the credit commensurate with the extent of their "
            "participation in the activity."
        ),
        format_phrases={
            ActivityFormat.ENDURING: "enduring material",
            ActivityFormat.LIVE_COURSE: "live activity",
            ActivityFormat.RSS: "live activity",
            ActivityFormat.INTERNET_LIVE: "internet live activity",
        },
    ),
    CreditType.NURSING_CONTACT_HOURS: CreditRule(
        step=HUNDREDTH,
        professions=frozenset({Profession.NURSE, Profession.NURSE_PRACTITIONER}),
        statement=_(
            "This activity is approved for a maximum of %(amount)s nursing "
            "contact hour(s)."
        ),
    ),
    CreditType.PARTICIPATION: CreditRule(
        step=QUARTER,
        professions=None,
        statement=_(
            "Other health professionals receive a certificate of participation "
            "for up to %(amount)s hour(s)."
        ),
    ),
    CreditType.ABIM_MOC: CreditRule(
        step=QUARTER,
        professions=frozenset({Profession.PHYSICIAN}),
        statement=_(
            "Successful completion of this CME activity enables the "
            "participant to earn up to %(amount)s MOC points in the American "
            "Board of Internal Medicine's (ABIM) Maintenance of Certification "
            "(MOC) program."
        ),
    ),
}


def format_amount(amount: Decimal) -> str:
    """1 -> "1.0", 1.5 -> "1.5", 1.25 -> "1.25": the way credit is printed."""
    text = f"{Decimal(amount).normalize():f}"
    return text if "." in text else f"{text}.0"


class CreditDesignation(Orderable):
    """How much credit of one type an activity offers."""

    activity = ParentalKey(
        "courses.ActivityPage", on_delete=models.CASCADE, related_name="designations"
    )
    credit_type = models.CharField(
        _("credit type"), max_length=32, choices=CreditType.choices
    )
    max_amount = models.DecimalField(
        _("maximum"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.25"))],
    )

    panels = [FieldPanel("credit_type"), FieldPanel("max_amount")]

    class Meta(Orderable.Meta):
        verbose_name = _("credit designation")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "credit_type"], name="one_designation_per_type"
            )
        ]

    def __str__(self) -> str:
        return f"{format_amount(self.max_amount)} {self.get_credit_type_display()}"

    def clean(self):
        super().clean()
        rule = CREDIT_RULES.get(self.credit_type)
        if (
            self.max_amount is not None
            and rule is not None
            and rule.step == QUARTER
            and Decimal(self.max_amount) % QUARTER != 0
        ):
            raise ValidationError(
                {"max_amount": _("This credit is designated in steps of 0.25.")}
            )

    @property
    def designation_statement(self) -> str:
        rule = CREDIT_RULES[self.credit_type]
        return rule.statement % {
            "provider": self.activity.provider_name,
            "amount": format_amount(self.max_amount),
            "format": rule.format_phrases.get(self.activity.activity_format, ""),
        }
