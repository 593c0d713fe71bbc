"""Serves anonymous visitors' cms pages from the cache (see cms.cache for the rules)."""

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from cms.cache import (
    cache_lifetime,
    current_generation,
    front_cache_headers,
    is_marked_cacheable,
    page_cache_key,
)
from cms.models import Alert

# A visitor with either cookie may see something personal (their name, a message).
_PERSONAL_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.FRONTEND_CACHE_URL:
            # Cluster mode: Varnish caches for every node; this process only says
            # how long a page may be kept there.
            return self._mark_for_front_cache(request, self.get_response(request))
        if not self._eligible(request):
            return self.get_response(request)
        key = page_cache_key(
            generation=current_generation(),
            host=request.get_host(),
            path=request.get_full_path(),
        )
        cached = cache.get(key)
        if cached is not None:
            return cached
        response = self.get_response(request)
        if self._storable(response):
            lifetime = cache_lifetime(
                Alert.objects.seconds_until_next_change(timezone.now())
            )
            if lifetime:
                cache.set(key, response, lifetime)
        return response

    def _mark_for_front_cache(self, request, response):
        if self._eligible(request) and self._storable(response):
            lifetime = cache_lifetime(
                Alert.objects.seconds_until_next_change(timezone.now())
            )
            if lifetime:
                front_cache_headers(response, lifetime)
        return response

    @staticmethod
    def _eligible(request) -> bool:
        return (
            settings.CMS_PAGE_CACHE_SECONDS > 0
            and request.method == "GET"
            and not any(name in request.COOKIES for name in _PERSONAL_COOKIES)
        )

    @staticmethod
    def _storable(response) -> bool:
        return (
            is_marked_cacheable(response)
            and response.status_code == 200
            and not response.cookies
            and not response.streaming
        )
