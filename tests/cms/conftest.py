import pytest
from django.core.cache import cache


@pytest.fixture
def page_cache(settings):
    """Turn the anonymous page cache on (it is off in tests by default)."""
    settings.CMS_PAGE_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()
