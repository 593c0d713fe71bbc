"""Wagtail page types: the home page, health topics and patient-education articles."""

import datetime
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Locale, Orderable, Page
from wagtail.search import index

from accounts.services import Role
from cms.cache import mark_cacheable
from cms.models.blocks import ArticleBodyBlock
from cms.panels import ReadingGradePanel
from cms.readability import TARGET_READING_GRADE, flesch_kincaid_grade


class CacheableForVisitorsMixin:
    """Lets the anonymous page cache store this page when a visitor asks for it."""

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        if not request.user.is_authenticated and not getattr(
            request, "is_preview", False
        ):
            mark_cacheable(response)
        return response


class TranslationFreshnessMixin(models.Model):
    """Knows whether a translated page still matches its English source.

    Each time a translation is published (through clinical review), it records when
    its source was last published; a later publish of the source makes the
    translation "may be out of date" until the translation is reviewed and
    published again (cms.signals)."""

    source_published_at = models.DateTimeField(
        _("source version translated"), null=True, blank=True, editable=False
    )

    class Meta:
        abstract = True

    def translation_source(self):
        if self.locale_id is None or self.locale_id == Locale.get_default().pk:
            return None
        return self.get_translation_or_none(Locale.get_default())

    def record_translated_source(self) -> None:
        source = self.translation_source()
        if source is not None:
            type(self).objects.filter(pk=self.pk).update(
                source_published_at=source.last_published_at
            )

    @property
    def translation_out_of_date(self) -> bool:
        source = self.translation_source()
        return bool(
            source is not None
            and source.live
            and self.source_published_at
            and source.last_published_at
            and source.last_published_at > self.source_published_at
        )

    def with_content_json(self, content):
        # Bookkeeping, not content: publishing an old revision keeps the record.
        page = super().with_content_json(content)
        page.source_published_at = self.source_published_at
        return page


class HomePage(CacheableForVisitorsMixin, Page):
    """The portal's front door: what TeleCampus offers to patients and clinicians."""

    intro = RichTextField(_("introduction"), blank=True)
    parent_page_types = ["wagtailcore.Page"]

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    class Meta:
        verbose_name = _("home page")

    def __str__(self) -> str:
        return self.title

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["featured_topics"] = (
            TopicIndexPage.objects.child_of(self)
            .live()
            .public()
            .filter(featured=True)
            .order_by("path")
        )
        context["latest_articles"] = (
            ArticlePage.objects.descendant_of(self)
            .live()
            .public()
            .order_by("-first_published_at")[:6]
        )
        return context


class TopicIndexPage(CacheableForVisitorsMixin, TranslationFreshnessMixin, Page):
    """A health topic (heart health, eye care...) holding its articles."""

    intro = models.TextField(
        _("introduction"),
        max_length=500,
        blank=True,
        help_text=_("One or two plain sentences that say what this topic covers."),
    )
    featured = models.BooleanField(_("feature on the home page"), default=False)

    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.ArticlePage"]

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("featured")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    api_fields = [APIField("intro")]

    class Meta:
        verbose_name = _("health topic")

    def __str__(self) -> str:
        return self.title

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["articles"] = (
            ArticlePage.objects.child_of(self).live().public().order_by("title")
        )
        return context


class Audience(models.TextChoices):
    PATIENTS = "patients", _("Patients")
    CAREGIVERS = "caregivers", _("Caregivers")
    CLINICIANS = "clinicians", _("Clinicians")


def _reviewer_choices() -> models.Q:
    return models.Q(
        groups__name__in=[Role.CLINICAL_REVIEWER.value, Role.CLINICIAN.value]
    )


class ArticlePage(CacheableForVisitorsMixin, TranslationFreshnessMixin, Page):
    """A patient-education article, clinically reviewed before it is published."""

    summary = models.TextField(
        _("summary"),
        max_length=300,
        help_text=_(
            "Two plain sentences shown in lists, search results and search engines."
        ),
    )
    audience = models.CharField(
        _("audience"),
        max_length=16,
        choices=Audience.choices,
        default=Audience.PATIENTS,
    )
    body = StreamField(ArticleBodyBlock(), verbose_name=_("body"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("medically reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviewed_articles",
        limit_choices_to=_reviewer_choices,
    )
    reviewer_credentials = models.CharField(
        _("reviewer's credentials"),
        max_length=60,
        blank=True,
        help_text=_(
            "For example MD, RN or PharmD, as it should appear after the name."
        ),
    )
    last_reviewed = models.DateField(_("last reviewed"), null=True, blank=True)
    next_review_due = models.DateField(
        _("next review due"),
        null=True,
        blank=True,
        help_text=_("Leave empty for 12 months after the last review."),
    )
    # The next_review_due date that editors were last reminded about: one reminder
    # per page per review cycle (see cms.services.send_review_reminders).
    review_reminder_sent_for = models.DateField(null=True, blank=True, editable=False)
    references = RichTextField(
        _("references"), blank=True, features=["ol", "ul", "link", "italic"]
    )
    reading_grade = models.DecimalField(
        _("reading grade level"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        editable=False,
    )

    parent_page_types = ["cms.TopicIndexPage"]
    subpage_types: list[str] = []

    content_panels = [
        *Page.content_panels,
        ReadingGradePanel(heading=_("Reading level")),
        FieldPanel("summary"),
        FieldPanel("audience"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("reviewed_by"), FieldPanel("reviewer_credentials")]
                ),
                FieldRowPanel(
                    [FieldPanel("last_reviewed"), FieldPanel("next_review_due")]
                ),
            ],
            heading=_("Clinical review"),
        ),
        FieldPanel("references"),
        InlinePanel("related_links", label=_("Related articles")),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("audience"),
    ]
    api_fields = [
        APIField("summary"),
        APIField("audience"),
        APIField("body"),
        APIField("reviewer_name"),
        APIField("reviewer_credentials"),
        APIField("last_reviewed"),
        APIField("next_review_due"),
        APIField("reading_grade"),
        APIField("references"),
    ]

    class Meta:
        verbose_name = _("patient-education article")

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if self.last_reviewed and not self.next_review_due:
            self.next_review_due = review_due_on(self.last_reviewed)
        grade = self.compute_reading_grade()
        self.reading_grade = None if grade is None else Decimal(str(grade))
        return super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if (
            self.last_reviewed
            and self.next_review_due
            and self.next_review_due <= self.last_reviewed
        ):
            raise ValidationError(
                {
                    "next_review_due": _(
                        "The next review must come after the last review."
                    )
                }
            )

    def with_content_json(self, content):
        # The reminder marker is bookkeeping, not content: publishing an old revision
        # must not reset it and trigger a second reminder for the same review cycle.
        page = super().with_content_json(content)
        page.review_reminder_sent_for = self.review_reminder_sent_for
        return page

    def plain_text(self) -> str:
        parts = [self.summary]
        for block in self.body:
            value = block.value
            if block.block_type == "paragraph":
                parts.append(strip_tags(value.source))
            elif block.block_type == "callout":
                parts += [value["heading"], strip_tags(value["text"].source)]
            elif block.block_type == "faq":
                for item in value:
                    parts += [item["question"], strip_tags(item["answer"].source)]
        return "\n".join(part for part in parts if part)

    def compute_reading_grade(self) -> float | None:
        """Flesch-Kincaid grade of the English text (the formula is English-only)."""
        if self.locale_id and self.locale.language_code != "en":
            return None
        return flesch_kincaid_grade(self.plain_text())

    @property
    def reading_grade_too_high(self) -> bool:
        return (
            self.reading_grade is not None and self.reading_grade > TARGET_READING_GRADE
        )

    @property
    def reviewer_name(self) -> str:
        if self.reviewed_by is None:
            return ""
        return self.reviewed_by.full_name or self.reviewed_by.display_name

    @property
    def review_overdue(self) -> bool:
        return bool(
            self.next_review_due and self.next_review_due < timezone.localdate()
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["related_articles"] = [
            link.article
            for link in self.related_links.select_related("article")
            if link.article.live
        ]
        return context

    def structured_data(self, request=None) -> dict:
        """schema.org MedicalWebPage for search engines (JSON-LD in the page head)."""
        data = {
            "@context": "https://schema.org",
            "@type": "MedicalWebPage",
            "name": self.seo_title or self.title,
            "description": self.search_description or self.summary,
            "url": self.get_full_url(request),
            "inLanguage": self.locale.language_code,
            "audience": {
                "@type": "PeopleAudience",
                "audienceType": self.get_audience_display(),
            },
        }
        if self.last_reviewed:
            data["lastReviewed"] = self.last_reviewed.isoformat()
        if self.reviewed_by:
            reviewer = {"@type": "Person", "name": self.reviewer_name}
            if self.reviewer_credentials:
                reviewer["honorificSuffix"] = self.reviewer_credentials
            data["reviewedBy"] = reviewer
        if self.last_published_at:
            data["dateModified"] = self.last_published_at.isoformat()
        return data


class ArticleRelatedLink(Orderable):
    page = ParentalKey(
        ArticlePage, on_delete=models.CASCADE, related_name="related_links"
    )
    article = models.ForeignKey(
        ArticlePage,
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [FieldPanel("article")]


def review_due_on(last_reviewed: datetime.date) -> datetime.date:
    return last_reviewed + relativedelta(months=settings.CMS_REVIEW_INTERVAL_MONTHS)
