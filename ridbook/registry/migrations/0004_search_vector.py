"""The registry list at a million RIDs: an index for its common filters in its order, and for search a stored ``tsvector`` of the lemmas with a GIN index instead of the expression index of 0002.

The expression index found the rows, but PostgreSQL recomputed ``to_tsvector`` on every candidate row to recheck
it, and counting a common word cost a ``to_tsvector`` per match. The column is kept in step with ``search_lemmas``
by a trigger (PostgreSQL's own ``tsvector_update_trigger``), so every writer of the lemmas — the services, the
import's ``COPY``, a bulk insert — keeps it right without knowing about it. SQLite searches the lemmas with LIKE:
there the column stays empty.
"""

import django.contrib.postgres.search
from django.db import migrations, models

INDEX = "registry_rid_search_vector_gin"
OLD_INDEX = "registry_rid_search_gin"
TRIGGER = "registry_rid_search_vector"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE TRIGGER {TRIGGER} BEFORE INSERT OR UPDATE OF search_lemmas ON registry_rid FOR EACH ROW "
        "EXECUTE FUNCTION tsvector_update_trigger(search_vector, 'pg_catalog.simple', search_lemmas)"
    )
    schema_editor.execute("UPDATE registry_rid SET search_vector = to_tsvector('simple'::regconfig, search_lemmas)")
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON registry_rid USING gin (search_vector)")
    schema_editor.execute(f"DROP INDEX IF EXISTS {OLD_INDEX}")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON registry_rid")
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {OLD_INDEX} ON registry_rid "
        "USING gin (to_tsvector('simple'::regconfig, COALESCE(search_lemmas, '')))"
    )


class Migration(migrations.Migration):
    dependencies = [("registry", "0003_commission_decision")]
    operations = [
        # the list's filters in the list's order (replaces the index on kind and status)
        migrations.RemoveIndex(model_name="rid", name="registry_ri_kind_f64f88_idx"),
        migrations.AddIndex(
            model_name="rid",
            index=models.Index(
                fields=["kind", "status", "-created_at", "-id"],
                include=("organization", "created_by"),
                name="rid_kind_status_created",
            ),
        ),
        migrations.AddField(
            model_name="rid",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(forward, backward),
    ]
