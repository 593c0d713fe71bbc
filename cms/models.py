from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(Page):
    """The portal's front door: what TeleCampus offers to patients and clinicians."""

    intro = RichTextField(_("introduction"), blank=True)
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    class Meta:
        verbose_name = _("home page")

    def __str__(self) -> str:
        return self.title


# A Wagtail Page needs a concrete model field module to import; keep models importable.
__all__ = ["HomePage", "models"]
