"""Accent-insensitive site search on PostgreSQL: "presion arterial" finds "presión
arterial". Creates the unaccent extension and the text-search configuration that
WAGTAILSEARCH_BACKENDS names (SEARCH_CONFIG) when the database is PostgreSQL.

SQLite needs nothing: Wagtail's FTS5 index uses the unicode61 tokenizer, which
removes diacritics. A database whose index was built before this migration gets
the new behaviour after `manage.py update_index`.
"""

from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations

SEARCH_CONFIG = "telecampus_search"


def create_search_config(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_ts_config WHERE cfgname = %s", [SEARCH_CONFIG]
        )
        if cursor.fetchone():
            return
        cursor.execute(
            f"CREATE TEXT SEARCH CONFIGURATION {SEARCH_CONFIG} (COPY = english)"
        )
        # Words with accents are "word"/"hword" tokens; plain ASCII words need no
        # unaccenting. Both then go through the same stemmer as before.
        cursor.execute(
            f"ALTER TEXT SEARCH CONFIGURATION {SEARCH_CONFIG} "
            "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem"
        )


def drop_search_config(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {SEARCH_CONFIG}")


class Migration(migrations.Migration):
    dependencies = [("cms", "0004_spanish_alerts_and_translation_freshness")]

    operations = [
        UnaccentExtension(),
        migrations.RunPython(create_search_config, drop_search_config),
    ]
