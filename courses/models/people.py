"""Faculty and planners (Wagtail snippets) with their financial disclosures."""

import datetime

from dateutil.relativedelta import relativedelta
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable
from wagtail.search import index

# ACCME: a disclosure is valid for 12 months from the day it was collected.
DISCLOSURE_VALID_FOR = relativedelta(months=12)


class Person(index.Indexed, ClusterableModel):
    """A faculty member or planner; the same person can serve several activities."""

    name = models.CharField(_("name"), max_length=200)
    credentials = models.CharField(
        _("credentials"), max_length=100, blank=True, help_text=_("For example MD, RN.")
    )
    affiliation = models.CharField(_("affiliation"), max_length=200, blank=True)
    disclosure_collected_on = models.DateField(
        _("disclosure collected on"),
        help_text=_("The disclosure expires 12 months after this date."),
    )
    no_relevant_relationships = models.BooleanField(
        _("no relevant financial relationships"),
        default=False,
        help_text=_(
            "Tick when this person declared no relevant financial relationships "
            "with ineligible companies."
        ),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("credentials"),
        FieldPanel("affiliation"),
        FieldPanel("disclosure_collected_on"),
        FieldPanel("no_relevant_relationships"),
        InlinePanel("relationships", label=_("Financial relationships")),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("faculty member or planner")
        verbose_name_plural = _("faculty and planners")

    def __str__(self) -> str:
        return f"{self.name}, {self.credentials}" if self.credentials else self.name

    def all_relationships_mitigated(self) -> bool:
        relationships = self.relationships.all()
        return bool(relationships) and all(r.mitigated for r in relationships)

    def disclosure_expires_on(self) -> datetime.date:
        return self.disclosure_collected_on + DISCLOSURE_VALID_FOR

    @property
    def expires(self) -> str:
        """The expiry date as the snippet list shows it, flagged when past."""
        expiry = self.disclosure_expires_on().isoformat()
        return f"{expiry} (expired)" if self.disclosure_is_expired() else expiry

    def disclosure_is_expired(self, *, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.disclosure_expires_on() <= on


class FinancialRelationship(Orderable):
    """One financial relationship with an ineligible company, as disclosed."""

    person = ParentalKey(Person, on_delete=models.CASCADE, related_name="relationships")
    company = models.CharField(_("ineligible company"), max_length=200)
    nature = models.CharField(
        _("nature of relationship"),
        max_length=200,
        help_text=_("For example consultant, speakers' bureau, research grant."),
    )
    mitigated = models.BooleanField(_("mitigated"), default=False)
    collected_on = models.DateField(_("date collected"))

    panels = [
        FieldPanel("company"),
        FieldPanel("nature"),
        FieldPanel("mitigated"),
        FieldPanel("collected_on"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("financial relationship")

    def __str__(self) -> str:
        return f"{self.company} ({self.nature})"
