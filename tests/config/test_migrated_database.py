"""The test database loaded from .pytest_cache (tests/migrated_database.py) is a
migrated one, and the file it comes from follows migrations and settings."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django_q.models import Schedule
from wagtail.models import Locale

from accounts.roles import ROLE_PERMISSIONS
from ops.services import HEARTBEAT_SCHEDULE_NAME
from tests import migrated_database


@pytest.mark.django_db
def test_every_migration_on_disk_is_applied_to_the_test_database():
    executor = MigrationExecutor(connection)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []


@pytest.mark.django_db
def test_what_post_migrate_makes_is_there_after_a_load():
    # Groups of roles, Wagtail's locales and the heartbeat schedule all come from
    # post_migrate handlers, which run again after the saved database is loaded.
    assert {role.value for role in ROLE_PERMISSIONS} <= set(
        Group.objects.values_list("name", flat=True)
    )
    assert Locale.objects.filter(language_code="es").exists()
    assert Schedule.objects.filter(name=HEARTBEAT_SCHEDULE_NAME).exists()


def test_a_changed_setting_means_another_saved_database(settings):
    before = migrated_database._fingerprint()
    assert migrated_database._fingerprint() == before
    settings.WAGTAIL_CONTENT_LANGUAGES = [("en", "English")]
    assert migrated_database._fingerprint() != before


def test_sets_in_settings_hash_the_same_in_every_process():
    assert migrated_database._stable_repr({"b", "a", "c"}) == "{'a', 'b', 'c'}"
    assert migrated_database._stable_repr({"k": frozenset({2, 1})}) == "{'k': {1, 2}}"
