"""Browser tests run against a live server, so they use transactional databases."""

import pytest

from tests.courses.factories import site_tree


@pytest.fixture(autouse=True)
def wagtail_tree(transactional_db):
    """Rebuild the home page and site an earlier transactional test's flush removed."""
    site_tree()
