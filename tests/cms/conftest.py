import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_after_each_test():
    """A request to /es/ leaves Spanish active in the test thread; do not let it leak
    into the next test's assertions."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def page_cache(settings):
    """Turn the anonymous page cache on (it is off in tests by default)."""
    settings.CMS_PAGE_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()
