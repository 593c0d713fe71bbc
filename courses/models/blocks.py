"""StreamField blocks: post-test questions with stable ids for questions and answers."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class QuestionChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("answer"))
    correct = blocks.BooleanBlock(label=_("correct"), required=False)


class QuestionBlock(blocks.StructBlock):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice (select all that apply)")

    prompt = blocks.TextBlock(label=_("question"))
    kind = blocks.ChoiceBlock(choices=Kind.choices, default=Kind.SINGLE)
    choices = blocks.ListBlock(QuestionChoiceBlock(), min_num=2)
    rationale = blocks.TextBlock(
        label=_("rationale"), help_text=_("Shown to the learner after submission.")
    )

    def clean(self, value):
        value = super().clean(value)
        correct = [choice for choice in value["choices"] if choice["correct"]]
        if not correct:
            raise blocks.StructBlockValidationError(
                block_errors={"choices": ValidationError(_("Mark a correct answer."))}
            )
        if value["kind"] == self.Kind.SINGLE and len(correct) != 1:
            raise blocks.StructBlockValidationError(
                block_errors={
                    "choices": ValidationError(
                        _("A single-choice question has exactly one correct answer.")
                    )
                }
            )
        return value
