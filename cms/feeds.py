"""The Atom feed of active public-health alerts at /alerts/feed.atom."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from cms.models import Alert


class ActiveAlertsFeed(Feed):
    feed_type = Atom1Feed
    title = _("TeleCampus public-health alerts")
    subtitle = _("Alerts that are in effect now, most severe first.")

    def link(self):
        return reverse("cms:alert_list")

    def items(self):
        return Alert.objects.active()

    def item_title(self, item: Alert) -> str:
        return f"{item.get_severity_display()}: {item.shown_title}"

    def item_description(self, item: Alert) -> str:
        return item.shown_body

    def item_link(self, item: Alert) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: Alert) -> str:
        return f"urn:uuid:{item.uuid}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: Alert):
        return item.start

    def item_updateddate(self, item: Alert):
        return item.last_published_at or item.start

    def item_categories(self, item: Alert):
        return [item.get_severity_display()]
