"""Signal handlers: cache invalidation, alert notifications, topic protection."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import (
    page_published,
    page_unpublished,
    post_page_move,
    published,
    unpublished,
)

from cms import services
from cms.cache import start_new_generation
from cms.models import Alert, TopicIndexPage


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
@receiver(post_delete, sender="wagtailcore.Page")
# A page made private (or public again) must stop (or start) being served to
# anonymous visitors at once, not when the cached copy runs out.
@receiver(post_save, sender="wagtailcore.PageViewRestriction")
@receiver(post_delete, sender="wagtailcore.PageViewRestriction")
def _page_changed(sender, **kwargs) -> None:
    start_new_generation()


@receiver(page_published)
def _translation_published(sender, instance, **kwargs) -> None:
    if hasattr(instance, "record_translated_source"):
        instance.record_translated_source()


@receiver(post_save, sender=Alert)
@receiver(post_delete, sender=Alert)
@receiver(unpublished, sender=Alert)
def _alert_changed(sender, **kwargs) -> None:
    start_new_generation()


@receiver(published, sender=Alert)
def _alert_published(sender, instance, **kwargs) -> None:
    start_new_generation()
    services.schedule_alert_notifications(alert=instance)


@receiver(post_save, sender=TopicIndexPage)
def _topic_created(sender, instance, created, raw=False, **kwargs) -> None:
    if created and not raw:
        from cms.setup import protect_topic

        protect_topic(topic=instance)
