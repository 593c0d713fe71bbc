"""Wagtail pages: the catalogue index, CME activities and their ordered lectures."""

import datetime
import hashlib
import uuid
import zoneinfo
from urllib.parse import urlsplit, urlunsplit

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page

from accounts.services import StreamBlock, validate_time_zone
from courses.models.blocks import QuestionBlock
from courses.models.credit import LIVE_FORMATS, ActivityFormat, CreditDesignation
from courses.models.people import Person

# Enduring material must be reviewed at least every three years (ACCME).
ENDURING_MAX_LIFETIME = relativedelta(years=3)


class CatalogueIndexPage(Page):
    """The list of CME activities; lives directly under the home page."""

    intro = models.TextField(_("introduction"), blank=True)

    parent_page_types = ["cms.HomePage"]
    subpage_types = ["courses.ActivityPage"]
    max_count = 1
    content_panels = [*Page.content_panels, FieldPanel("intro")]

    class Meta:
        verbose_name = _("CME catalogue")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["activities"] = ActivityPage.catalogue()
        return context


class ActivityPageForm(WagtailAdminPageForm):
    """Refuses to publish or schedule an activity whose faculty disclosures expired."""

    def clean(self):
        cleaned_data = super().clean()
        if not self.data.get("action-publish"):
            return cleaned_data
        formset = self.formsets.get("people")
        if formset is None or not formset.is_valid():
            return cleaned_data
        people = [
            form.cleaned_data["person"]
            for form in formset.forms
            if form.cleaned_data
            and form.cleaned_data.get("person")
            and not form.cleaned_data.get("DELETE")
        ]
        for reason in expired_disclosure_reasons(people):
            self.add_error(None, reason)
        return cleaned_data


def expired_disclosure_reasons(
    people: list[Person], *, on: datetime.date | None = None
) -> list[str]:
    """One sentence per faculty member or planner whose disclosure has expired."""
    return [
        _(
            "The disclosure of %(name)s was collected on %(date)s and expired on "
            "%(expiry)s. Collect a new disclosure before publishing or scheduling "
            "this activity."
        )
        % {
            "name": person.name,
            "date": person.disclosure_collected_on.isoformat(),
            "expiry": person.disclosure_expires_on().isoformat(),
        }
        for person in people
        if person.disclosure_is_expired(on=on)
    ]


class RevealAnswers(models.TextChoices):
    """When a learner may see a post-test's correct answers and rationales."""

    # Never: learners see their score and which questions they got wrong, only.
    NEVER = "never", _("Never")
    # After passing: a failed attempt hides the key, so a retake is still a test.
    AFTER_PASSING = "after_passing", _("After the learner passes")
    # After the last attempt: when passed, or when no attempt is left.
    AFTER_LAST_ATTEMPT = (
        "after_last_attempt",
        _("After the learner passes or uses the last attempt"),
    )


class ActivityPage(Page):
    """A CME activity: what it teaches, who made it, how much credit it offers."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    activity_format = models.CharField(
        _("format"), max_length=20, choices=ActivityFormat.choices
    )
    summary = models.TextField(_("summary"), blank=True)
    objectives = models.TextField(
        _("learning objectives"), help_text=_("One objective per line.")
    )
    target_audience = models.TextField(_("target audience"))
    estimated_minutes = models.PositiveIntegerField(
        _("estimated time (minutes)"), validators=[MinValueValidator(1)]
    )
    release_date = models.DateField(_("release date"))
    last_review_date = models.DateField(_("last review date"), null=True, blank=True)
    termination_date = models.DateField(
        _("termination date"),
        help_text=_("After this date credit can no longer be claimed."),
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="America/New_York",
        validators=[validate_time_zone],
    )
    location = models.CharField(
        _("location"), max_length=200, blank=True, help_text=_("Leave empty if online.")
    )
    session_starts_at = models.DateTimeField(
        _("live session starts at"), null=True, blank=True
    )
    session_ends_at = models.DateTimeField(
        _("live session ends at"), null=True, blank=True
    )
    code_word = models.CharField(
        _("attendance code word"),
        max_length=40,
        blank=True,
        help_text=_(
            "Live activities: announced during the session; learners whose attendance "
            "was not recorded can enter it during the session window."
        ),
    )
    provider_name = models.CharField(_("accredited provider"), max_length=200)
    joint_provider_name = models.CharField(
        _("joint provider"), max_length=200, blank=True
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"),
        default=75,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("post-test attempts allowed"), default=3, validators=[MinValueValidator(1)]
    )
    reveal_answers = models.CharField(
        _("show the correct answers"),
        max_length=20,
        choices=RevealAnswers.choices,
        default=RevealAnswers.AFTER_PASSING,
        help_text=_(
            "When learners may see the correct answers and the rationales of "
            "the questions they got wrong."
        ),
    )
    questions = StreamField(
        StreamBlock([("question", QuestionBlock())]),
        blank=True,
        verbose_name=_("post-test questions"),
    )

    parent_page_types = ["courses.CatalogueIndexPage"]
    subpage_types = ["courses.LecturePage"]
    base_form_class = ActivityPageForm
    exclude_fields_in_copy = ["uuid"]

    content_panels = [
        *Page.content_panels,
        FieldPanel("activity_format"),
        FieldPanel("summary"),
        FieldPanel("objectives"),
        FieldPanel("target_audience"),
        FieldPanel("estimated_minutes"),
        MultiFieldPanel(
            [
                FieldPanel("release_date"),
                FieldPanel("last_review_date"),
                FieldPanel("termination_date"),
                FieldPanel("time_zone"),
            ],
            heading=_("Dates"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("location"),
                FieldPanel("session_starts_at"),
                FieldPanel("session_ends_at"),
                FieldPanel("code_word"),
            ],
            heading=_("Live session"),
        ),
        MultiFieldPanel(
            [FieldPanel("provider_name"), FieldPanel("joint_provider_name")],
            heading=_("Accreditation"),
        ),
        InlinePanel("designations", label=_("Credit designations"), min_num=1),
        InlinePanel("people", label=_("Faculty and planners")),
        MultiFieldPanel(
            [
                FieldPanel("pass_mark"),
                FieldPanel("max_attempts"),
                FieldPanel("reveal_answers"),
                FieldPanel("questions"),
            ],
            heading=_("Post-test"),
        ),
    ]

    class Meta:
        verbose_name = _("CME activity")
        verbose_name_plural = _("CME activities")

    def clean(self):
        super().clean()
        if self.termination_date and self.release_date:
            if self.termination_date < self.release_date:
                raise ValidationError(
                    {
                        "termination_date": _(
                            "The termination date must be after the release date."
                        )
                    }
                )
            if self.activity_format == ActivityFormat.ENDURING:
                base = max(filter(None, [self.release_date, self.last_review_date]))
                if self.termination_date > base + ENDURING_MAX_LIFETIME:
                    raise ValidationError(
                        {
                            "termination_date": _(
                                "Enduring material must terminate at most three years "
                                "after its release or last review (%(limit)s)."
                            )
                            % {"limit": (base + ENDURING_MAX_LIFETIME).isoformat()}
                        }
                    )
        if (
            self.session_starts_at
            and self.session_ends_at
            and self.session_ends_at <= self.session_starts_at
        ):
            raise ValidationError(
                {"session_ends_at": _("The session must end after it starts.")}
            )

    @property
    def is_live(self) -> bool:
        return self.activity_format in LIVE_FORMATS

    @property
    def start_date(self) -> datetime.date:
        return self.release_date

    @property
    def end_date(self) -> datetime.date:
        return self.termination_date

    @property
    def objectives_list(self) -> list[str]:
        return [line.strip() for line in self.objectives.splitlines() if line.strip()]

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def is_terminated(self, *, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate(timezone=self.zone)
        return on > self.termination_date

    @property
    def accreditation_statement(self) -> str:
        if self.joint_provider_name:
            return _(
                "This activity has been planned and implemented in accordance with the "
                "accreditation requirements and policies of the Accreditation Council "
                "for Continuing Medical Education (ACCME) through the joint "
                "providership of %(provider)s and %(joint)s. %(provider)s is "
                "accredited by the ACCME to provide continuing medical education for "
                "physicians."
            ) % {"provider": self.provider_name, "joint": self.joint_provider_name}
        return _(
            "%(provider)s is accredited by the Accreditation Council for Continuing "
            "Medical Education (ACCME) to provide continuing medical education for "
            "physicians."
        ) % {"provider": self.provider_name}

    @cached_property
    def question_blocks(self) -> dict[str, dict]:
        """Post-test questions by their stable block id."""
        return {
            str(block.id): {
                "id": str(block.id),
                "prompt": block.value["prompt"],
                "kind": block.value["kind"],
                # Authors sometimes write the hint into the prompt; say it once.
                "needs_select_all_hint": block.value["kind"] == "multiple"
                and "select all that apply" not in block.value["prompt"].lower(),
                "rationale": block.value["rationale"],
                "choices": [
                    {
                        "id": str(item.id),
                        "text": item.value["text"],
                        "correct": bool(item.value["correct"]),
                    }
                    for item in block.value["choices"].bound_blocks
                ],
            }
            for block in self.questions
        }

    def disclosure_people(self):
        return self.people.select_related("person").prefetch_related(
            "person__relationships"
        )

    def disclosure_text(self) -> str:
        """The disclosure as plain text; its hash versions each acknowledgement."""
        lines = []
        for link in self.disclosure_people():
            person = link.person
            lines.append(f"{person} ({link.get_role_display()})")
            relationships = list(person.relationships.all())
            if not relationships:
                lines.append("  " + str(_("No relevant financial relationships.")))
            for relationship in relationships:
                lines.append(
                    f"  {relationship.company}: {relationship.nature}"
                    f" (collected {relationship.collected_on.isoformat()})"
                )
            if person.all_relationships_mitigated():
                lines.append(
                    "  "
                    + str(
                        _("All relevant financial relationships have been mitigated.")
                    )
                )
        return "\n".join(lines)

    @staticmethod
    def disclosure_version_of(text: str) -> str:
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    @classmethod
    def catalogue(cls):
        """Live activities with their designations, newest release first."""
        return (
            cls.objects.live()
            .public()
            .order_by("-release_date", "title")
            .prefetch_related(
                Prefetch(
                    "designations",
                    queryset=CreditDesignation.objects.order_by("sort_order"),
                )
            )
        )

    def serve(self, request, *args, **kwargs):
        # cycle: courses.views imports these models back
        from courses.views.pages import serve_activity

        return serve_activity(request, self)


class ActivityPerson(Orderable):
    """A faculty member or planner of one activity."""

    class Role(models.TextChoices):
        FACULTY = "faculty", _("Faculty")
        PLANNER = "planner", _("Planner")
        FACULTY_AND_PLANNER = "both", _("Faculty and planner")

    activity = ParentalKey(
        ActivityPage, on_delete=models.CASCADE, related_name="people"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="roles")
    role = models.CharField(
        _("role"), max_length=16, choices=Role.choices, default=Role.FACULTY
    )

    panels = [FieldPanel("person"), FieldPanel("role")]

    class Meta(Orderable.Meta):
        verbose_name = _("faculty member or planner")

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"


_NOCOOKIE_HOST = "www.youtube-nocookie.com"
_YOUTUBE_HOSTS = {"www.youtube.com", "youtube.com", _NOCOOKIE_HOST}
_VIMEO_HOST = "player.vimeo.com"


def player_embed_url(url: str) -> str:
    """Check a lecture's player URL against the hosts CSP frame-src allows.

    YouTube player URLs are moved to youtube-nocookie.com; anything else than a
    YouTube or Vimeo player URL is refused, since the browser would block it.
    """
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme == "https" and host == _VIMEO_HOST:
        return url
    if (
        parts.scheme == "https"
        and host in _YOUTUBE_HOSTS
        and parts.path.startswith("/embed/")
    ):
        return urlunsplit(parts._replace(netloc=_NOCOOKIE_HOST))
    raise ValidationError(
        {
            "video_embed_url": _(
                "Use a YouTube player address "
                "(https://www.youtube-nocookie.com/embed/...) or a Vimeo player "
                "address (https://player.vimeo.com/video/...); other sites are "
                "blocked by the browser."
            )
        }
    )


class LecturePage(Page):
    """One lecture of an activity, shown in tree order behind the disclosure gate."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    video = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("video file"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("An uploaded video file, playable offline once downloaded."),
    )
    video_embed_url = models.URLField(
        _("video embed URL"),
        blank=True,
        help_text=_("A YouTube (no-cookie) or Vimeo player URL, instead of a file."),
    )
    duration_seconds = models.PositiveIntegerField(
        _("duration (seconds)"), validators=[MinValueValidator(1)]
    )
    transcript = models.TextField(_("transcript"), blank=True)
    slides = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("slides"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    documents = StreamField(
        StreamBlock([("document", DocumentChooserBlock())]),
        blank=True,
        verbose_name=_("documents"),
    )

    parent_page_types = ["courses.ActivityPage"]
    subpage_types: list[str] = []
    exclude_fields_in_copy = ["uuid"]

    content_panels = [
        *Page.content_panels,
        FieldPanel("video"),
        FieldPanel("video_embed_url"),
        FieldPanel("duration_seconds"),
        FieldPanel("transcript"),
        FieldPanel("slides"),
        FieldPanel("documents"),
    ]

    class Meta:
        verbose_name = _("lecture")

    def clean(self):
        super().clean()
        if not self.video_id and not self.video_embed_url:
            raise ValidationError(_("Give the lecture a video file or an embed URL."))
        if self.video_embed_url:
            self.video_embed_url = player_embed_url(self.video_embed_url)

    def serve(self, request, *args, **kwargs):
        # cycle: courses.views imports these models back
        from courses.views.pages import serve_lecture

        return serve_lecture(request, self)
