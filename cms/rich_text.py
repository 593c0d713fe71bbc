"""The admin's rich-text widget: Wagtail's Draftail editor with an accessible name.

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
