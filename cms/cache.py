"""The anonymous page cache: which responses are stored, under which key, how long.

Pages mark their own responses (cms.models.pages.CacheableForVisitorsMixin); the
middleware (cms.middleware) stores and serves them. Publishing or unpublishing a page
or an alert starts a new cache generation, so nothing stale is served afterwards, and
no entry outlives the next alert start or end, so banners appear and disappear on time.
"""

import hashlib
import uuid

from django.conf import settings
from django.core.cache import cache

GENERATION_KEY = "cms:cache-generation"


def mark_cacheable(response) -> None:
    response.cms_cacheable = True
    # The same page for every visitor, so the installed app may keep a copy for
    # reading offline (ops.phone_app); nothing personal is ever marked.
    response["X-Offline-Copy"] = "allowed"


def is_marked_cacheable(response) -> bool:
    return getattr(response, "cms_cacheable", False)


def current_generation() -> str:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = uuid.uuid4().hex
        cache.add(GENERATION_KEY, generation, None)
        generation = cache.get(GENERATION_KEY, generation)
    return generation


def start_new_generation() -> None:
    """Called when published content or alerts change."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


def page_cache_key(*, generation: str, host: str, path: str) -> str:
    digest = hashlib.sha256(f"{host}|{path}".encode()).hexdigest()
    return f"cms:page:{generation}:{digest}"


def cache_lifetime(seconds_until_alert_change: float | None) -> int:
    """Seconds an entry may live: the configured lifetime, cut at the next alert
    start or end."""
    lifetime = settings.CMS_PAGE_CACHE_SECONDS
    if seconds_until_alert_change is not None:
        lifetime = min(lifetime, int(seconds_until_alert_change))
    return max(lifetime, 0)
