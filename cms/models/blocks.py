"""StreamField blocks for patient-education articles (templates: templates/blocks/)."""

import re

from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

from accounts.services import StreamBlock

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]


class CalloutSeverity:
    INFO = "info"
    WARNING = "warning"
    EMERGENCY = "emergency"
    CHOICES = [
        (INFO, _("Good to know")),
        (WARNING, _("Call your care team")),
        (EMERGENCY, _("Emergency: call 911")),
    ]


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    alt_text = blocks.CharBlock(
        label=_("alternative text"),
        max_length=250,
        help_text=_(
            "Describe what the image shows for people who cannot see it. Required."
        ),
    )
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=250)

    class Meta:
        icon = "image"
        template = "blocks/image_block.html"


class CalloutBlock(blocks.StructBlock):
    severity = blocks.ChoiceBlock(
        label=_("severity"),
        choices=CalloutSeverity.CHOICES,
        default=CalloutSeverity.INFO,
    )
    heading = blocks.CharBlock(label=_("heading"), max_length=120)
    text = blocks.RichTextBlock(
        label=_("text"), features=["bold", "italic", "ul", "link"]
    )

    class Meta:
        icon = "warning"
        template = "blocks/callout_block.html"


class FaqItemBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("question"), max_length=250)
    answer = blocks.RichTextBlock(
        label=_("answer"), features=["bold", "italic", "ul", "link"]
    )


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    title = blocks.CharBlock(
        label=_("link text"),
        max_length=120,
        required=False,
        help_text=_("Leave empty to use the document's own title."),
    )

    class Meta:
        icon = "doc-full"
        template = "blocks/document_block.html"


_YOUTUBE_EMBED = re.compile(r"https?://(?:www\.)?youtube\.com/embed/")


def nocookie_embed_html(html: str) -> str:
    """Point YouTube players at youtube-nocookie.com, the host CSP frame-src allows."""
    return _YOUTUBE_EMBED.sub("https://www.youtube-nocookie.com/embed/", html)


class VideoBlock(blocks.StructBlock):
    video = EmbedBlock(
        label=_("video address"), help_text=_("A YouTube or Vimeo link.")
    )
    title = blocks.CharBlock(
        label=_("video title"),
        max_length=120,
        help_text=_("Names the video for screen reader users."),
    )

    class Meta:
        icon = "media"
        template = "blocks/video_block.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        embed = value.get("video")
        # The oEmbed HTML is trusted (Wagtail renders it as is); only its host changes.
        html = nocookie_embed_html(embed.html if embed else "")
        context["video_html"] = mark_safe(html)  # noqa: S308
        return context


class ArticleBodyBlock(StreamBlock):
    paragraph = blocks.RichTextBlock(label=_("text"), features=RICH_TEXT_FEATURES)
    image = ImageBlock(label=_("image"))
    video = VideoBlock(label=_("video"))
    callout = CalloutBlock(label=_("callout"))
    faq = blocks.ListBlock(
        FaqItemBlock(),
        label=_("questions and answers"),
        template="blocks/faq_block.html",
    )
    document = DocumentBlock(label=_("downloadable document"))
    table = TableBlock(label=_("table"), template="blocks/table_block.html")
