"""Signal handlers: cache invalidation, alert notifications, topic protection."""

import posixpath
import secrets

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from wagtail.documents import get_document_model_string
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
from cms.setup import protect_topic


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
        protect_topic(topic=instance)


@receiver(pre_save, sender=get_document_model_string())
def _store_documents_under_a_random_folder(sender, instance, **kwargs) -> None:
    """documents/<random>/<name>: a stored path nobody can guess from a file name.

    Wagtail keeps the original name (downloads are still called what the editor
    uploaded); the random folder means a leaked or mis-served media directory does
    not hand out lecture recordings by their titles. Files already stored keep
    their path.
    """
    file = instance.file
    if file and not file._committed and "/" not in file.name:
        file.name = f"{secrets.token_urlsafe(12)}/{posixpath.basename(file.name)}"
