"""PostgreSQL: a GIN full-text index over the lemmas (the same expression search.search_filter queries)."""

from django.db import migrations

INDEX = "registry_rid_search_gin"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON registry_rid "
            "USING gin (to_tsvector('simple'::regconfig, COALESCE(search_lemmas, '')))"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
