import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections
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


@pytest.fixture(scope="session", autouse=True)
def _migrated_data(django_db_setup):
    """The database contents right after migrate, as Django serialized them.

    Autouse so that it is read before Playwright starts (see migrated_data)."""
    return getattr(connections[DEFAULT_DB_ALIAS], "_test_serialized_contents", None)


@pytest.fixture
def migrated_data(_migrated_data, transactional_db):
    """Put back the migrated data (root and home pages, locales, workflow) that an
    earlier transactional test flushed.

    serialized_rollback should do this, but Django keeps connections per context and
    Playwright runs the tests in another context than the one pytest-django set the
    test database up in, so the connection the test sees has no serialized copy and
    nothing is restored.
    """
    connection = connections[DEFAULT_DB_ALIAS]
    if _migrated_data and not hasattr(connection, "_test_serialized_contents"):
        # That flush also ran post_migrate handlers that re-created some rows.
        call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
        connection.creation.deserialize_db_from_string(_migrated_data)
