"""The admin's rich-text widget: Wagtail's Draftail editor with an accessible name,
that refuses malformed content instead of failing.

Wagtail renders Draftail's editable area without a label (axe-core:
aria-input-field-name, serious), so a screen reader announces an unnamed field.
Draftail accepts an ariaLabel option and Wagtail passes widget options through.
"""

from django.utils.translation import gettext
from wagtail.admin.rich_text import DraftailRichTextArea


class LabelledDraftailRichTextArea(DraftailRichTextArea):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.options.setdefault("ariaLabel", gettext("Rich text editor"))

    def value_from_datadict(self, data, files, name):
        # Draftail posts its content as JSON. A hand-made POST with anything else
        # made Wagtail's converter raise (a 500); treat it as no content, so the
        # form answers with its usual field error and keeps the rest of the input.
        try:
            return super().value_from_datadict(data, files, name)
        except (ValueError, TypeError, KeyError, AttributeError):
            return None
