"""The author filter at a million RIDs: a surname's beginning found through an index (PostgreSQL).

``filters.surname_q`` asks ``UPPER(last_name::text) LIKE UPPER('иван%') OR last_name::text LIKE 'Иван%'``. The
plain index on ``last_name`` serves neither branch where the database's collation is not C, so every search by
surname read all the people (and, before the filter asked the people first, joined every RID with its authors).
Each branch gets a pattern index of its own, and PostgreSQL combines the two (BitmapOr).

PostgreSQL only: ``text_pattern_ops`` is its operator class (an ``Index`` of the model cannot carry it on SQLite).
SQLite's LIKE, case-insensitive for ASCII, cannot use such an index anyway: it reads the people table, N/3 rows.
"""

from django.db import migrations

INDEXES = {
    "registry_person_last_name_like": "(last_name varchar_pattern_ops)",
    "registry_person_last_name_upper_like": "(UPPER(last_name::text) text_pattern_ops)",
}


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, columns in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON registry_person {columns}")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("registry", "0011_russian_field_names")]
    operations = [migrations.RunPython(forward, backward, elidable=False)]
