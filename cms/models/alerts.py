"""Public-health alerts and the people who asked to receive them by email."""

import datetime
import uuid

from django import forms
from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Min
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import DraftStateMixin, RevisionMixin

from accounts.services import StreamBlock
from notifications.services import topics


class AlertSeverity(models.IntegerChoices):
    """Higher is more severe; banners list the most severe first."""

    INFORMATION = 10, _("Information")
    ADVISORY = 20, _("Advisory")
    WARNING = 30, _("Warning")
    EMERGENCY = 40, _("Emergency")


class AlertQuerySet(models.QuerySet):
    def active(self, now: datetime.datetime | None = None):
        now = now or timezone.now()
        return self.filter(live=True, start__lte=now, end__gt=now).order_by(
            "-severity", "-start"
        )

    def seconds_until_next_change(self, now: datetime.datetime) -> float | None:
        """Seconds until a live alert starts or ends (None when nothing is coming)."""
        upcoming = self.filter(live=True).aggregate(
            next_start=Min("start", filter=models.Q(start__gt=now)),
            next_end=Min("end", filter=models.Q(end__gt=now)),
        )
        moments = [moment for moment in upcoming.values() if moment is not None]
        if not moments:
            return None
        return (min(moments) - now).total_seconds()


class LinkBlock(blocks.StructBlock):
    url = blocks.URLBlock(label=_("address"))
    text = blocks.CharBlock(label=_("link text"), max_length=120)


class AlertArea(models.Model):
    """A place alerts can be aimed at; visitors' phones subscribe to areas (#17)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    name_es = models.CharField(_("name in Spanish"), max_length=100, blank=True)
    slug = models.SlugField(_("short name for addresses"), max_length=60, unique=True)

    panels = [FieldPanel("name"), FieldPanel("name_es"), FieldPanel("slug")]

    class Meta:
        verbose_name = _("alert area")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def push_topic(self) -> str:
        return f"{topics.ALERTS}:{self.slug}"


class Alert(DraftStateMixin, RevisionMixin, models.Model):
    """A public-health alert shown as a banner on every public page while active."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=160)
    severity = models.PositiveSmallIntegerField(
        _("severity"), choices=AlertSeverity.choices, default=AlertSeverity.ADVISORY
    )
    areas = models.CharField(
        _("affected areas or facilities"),
        max_length=250,
        blank=True,
        help_text=_("For example: Travis County clinics, North campus."),
    )
    body = RichTextField(
        _("what people should do"), features=["bold", "italic", "ul", "link"]
    )
    # The Spanish wording, shown on /es/ and emailed to Spanish-speaking subscribers;
    # an empty field falls back to the English one.
    title_es = models.CharField(_("title in Spanish"), max_length=160, blank=True)
    areas_es = models.CharField(
        _("affected areas or facilities in Spanish"), max_length=250, blank=True
    )
    body_es = RichTextField(
        _("what people should do, in Spanish"),
        features=["bold", "italic", "ul", "link"],
        blank=True,
    )
    links = StreamField(
        StreamBlock([("link", LinkBlock())]), verbose_name=_("links"), blank=True
    )
    start = models.DateTimeField(_("start"), default=timezone.now)
    end = models.DateTimeField(_("end"))
    # Phones subscribed to these areas are notified; none means every area. Not
    # part of revisions: the list is saved as the form is, like a setting.
    target_areas = models.ManyToManyField(
        AlertArea,
        verbose_name=_("notify phones in these areas"),
        blank=True,
        related_name="alerts",
        help_text=_("Leave all unticked to notify every subscribed phone."),
    )
    # Set once the subscriber emails for this alert have gone out (at most once).
    notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="alert")

    objects = AlertQuerySet.as_manager()

    panels = [
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("severity"), FieldPanel("areas")]),
        FieldPanel("target_areas", widget=forms.CheckboxSelectMultiple),
        FieldPanel("body"),
        FieldPanel("links"),
        FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
        MultiFieldPanel(
            [FieldPanel("title_es"), FieldPanel("areas_es"), FieldPanel("body_es")],
            heading=_("Spanish"),
            help_text=_(
                "Shown on the Spanish site and emailed to Spanish-speaking "
                "subscribers. Leave a field empty to show the English one."
            ),
        ),
    ]

    class Meta:
        verbose_name = _("public-health alert")
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")),
                name="cms_alert_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("cms:alert_detail", kwargs={"uuid": self.uuid})

    def push_topics(self) -> list[str]:
        """The topics of the phones to notify: all-areas ones, and each area's."""
        areas = self.target_areas.all() or AlertArea.objects.all()
        return [topics.ALERTS, *(area.push_topic for area in areas)]

    def clean(self):
        super().clean()
        if self.start and self.end and self.end <= self.start:
            raise ValidationError(
                {"end": _("The end must be later than the start of the alert.")}
            )

    def _in_active_language(self, field: str) -> str:
        english = getattr(self, field)
        if (translation.get_language() or "").split("-")[0] == "es":
            return getattr(self, f"{field}_es") or english
        return english

    @property
    def shown_title(self) -> str:
        """The title in the active language (English when not translated)."""
        return self._in_active_language("title")

    @property
    def shown_areas(self) -> str:
        return self._in_active_language("areas")

    @property
    def shown_body(self) -> str:
        return self._in_active_language("body")

    @property
    def revisions(self):
        return self._revisions

    @property
    def severity_slug(self) -> str:
        return AlertSeverity(self.severity).name.lower()

    def is_active(self, now: datetime.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.live and self.start <= now < self.end


class AlertSubscription(models.Model):
    """A signed-in person who wants public-health alerts by email."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="alert_subscription",
    )
    # The language the person subscribed in; their alert emails are written in it.
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("alert subscription")

    def __str__(self) -> str:
        return str(self.user)
