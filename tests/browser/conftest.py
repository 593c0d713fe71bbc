"""Browser tests run against a live server, so they use transactional databases."""

import pytest
from wagtail.models import Collection, Locale, Page, Site

from cms.models import HomePage


@pytest.fixture(autouse=True)
def wagtail_tree(transactional_db):
    """The root collection, page tree, home page and site that migrations create.

    A transactional test flushes every table when it ends, and serialized_rollback
    cannot put these rows back here: Playwright's event loop gives the test its own
    database connection object, which lacks the contents pytest-django serialized
    on the first one. So each browser test rebuilds what it needs.
    """
    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    locale, _created = Locale.objects.get_or_create(language_code="en")
    root = Page.get_first_root_node() or Page.add_root(
        instance=Page(title="Root", slug="root", locale=locale)
    )
    if not HomePage.objects.exists():
        home = root.add_child(
            instance=HomePage(title="TeleCampus", slug="home", locale=locale)
        )
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={"hostname": "localhost", "root_page": home},
        )
