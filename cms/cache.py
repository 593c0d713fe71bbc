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
from wagtail.contrib.frontend_cache.utils import purge_url_from_cache

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
    purge_front_cache()


def purge_front_cache() -> None:
    """Everything under the site leaves the front cache (Varnish), when there is one.

    One changed page changes its parent's listing, the home page, feeds and search
    results too, so the front cache forgets every page, as the generation above does.
    The trailing "*" asks our VCL (cluster/varnish.vcl) for a prefix ban."""
    if not settings.FRONTEND_CACHE_URL:
        return
    purge_url_from_cache(f"{settings.BASE_URL}/*")


def front_cache_headers(response, lifetime: int) -> None:
    """Lets the front cache keep an anonymous page for `lifetime` seconds; browsers
    revalidate (they would not hear about a purge)."""
    response["Cache-Control"] = f"public, max-age=0, s-maxage={lifetime}"


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
