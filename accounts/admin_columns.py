"""Columns for the staff screens' listings in the Wagtail admin."""

from django.utils.text import capfirst
from wagtail.admin.ui.tables import Column

from accounts.local_time import format_time


class LocalTimeColumn(Column):
    """A date and time in the viewer's own zone, labelled with it, like every time
    the portal shows ("Sat 5 Dec 2026, 22:11 (Asia/Kolkata)"); Wagtail's plain
    column would print the server's UTC with no zone."""

    @classmethod
    def of(cls, model, name: str) -> "LocalTimeColumn":
        """The column for `model`'s field `name`, labelled and sortable by it."""
        label = capfirst(model._meta.get_field(name).verbose_name)
        return cls(name, label=label, sort_key=name)

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        request = parent_context.get("request")
        viewer = request.user if request is not None else None
        shown = format_time(context["raw_value"], viewer)
        context["value"] = shown or self.empty_value_display
        return context
