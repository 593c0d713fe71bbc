"""The top-level block of every StreamField: a malformed post is a field error.

Wagtail's editor posts a StreamField as numbered hidden inputs that its JavaScript
writes: `body-count`, then per block `body-0-type`, `-order`, `-deleted`, `-id` and
`-value`. A hand-made post whose count or order is not a number, or which lacks one
of those inputs, made Wagtail raise ValueError or KeyError while reading the form: a
500. Here such a post reads as an empty stream marked malformed, and clean() refuses
it with a sentence, so the editor sees the form again and what is saved stays as it
was (an optional stream is not silently emptied).

The class is never written into migrations (StreamField.deconstruct records only the
child blocks), so any StreamField can use it without a schema change. It lives in
accounts because every app may import accounts.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.stream_block import StreamBlockValidationError, StreamValue


class StreamBlock(blocks.StreamBlock):
    def value_from_datadict(self, data, files, prefix):
        try:
            return super().value_from_datadict(data, files, prefix)
        except (ValueError, TypeError, KeyError):
            malformed = StreamValue(self, [])
            malformed.malformed_post = True
            return malformed

    def clean(self, value):
        if getattr(value, "malformed_post", False):
            raise StreamBlockValidationError(
                non_block_errors=[
                    ValidationError(
                        _(
                            "This content arrived incomplete and was not saved. "
                            "Reload the page and try again."
                        ),
                        code="malformed_post",
                    )
                ]
            )
        return super().clean(value)
