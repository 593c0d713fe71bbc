from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from cms.models import Alert


class AlertFilterSet(WagtailFilterSet):
    class Meta:
        model = Alert
        fields = ["severity", "live"]


class AlertViewSet(SnippetViewSet):
    model = Alert
    icon = "warning"
    menu_label = _("Alerts")
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["title", "severity", "start", "end", "live"]
    filterset_class = AlertFilterSet
    search_fields = ["title", "areas"]


register_snippet(AlertViewSet)
