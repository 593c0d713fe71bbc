"""Admin panels: the article's reading grade, shown to the editor while editing."""

from wagtail.admin.panels import Panel

from cms.readability import TARGET_READING_GRADE


class ReadingGradePanel(Panel):
    """Shows the Flesch-Kincaid grade of the draft being edited, with a warning
    above the health-literacy target (grade 6 to 8)."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "cms/panels/reading_grade_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            # The edit view binds the latest draft, so this follows every saved draft.
            grade = self.instance.compute_reading_grade() if self.instance.pk else None
            context.update(
                grade=grade,
                target=TARGET_READING_GRADE,
                too_high=grade is not None and grade > TARGET_READING_GRADE,
            )
            return context
