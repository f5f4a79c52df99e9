"""The author filter at a million RIDs: a surname's beginning found through an index (PostgreSQL).

``filters.surname_q`` asks ``UPPER(last_name::text) LIKE UPPER('иван%') OR last_name::text LIKE 'Иван%'``. The
plain index on ``last_name`` serves neither branch where the database's collation is not C, so every search by
surname read all the people (and, before the filter asked the people first, joined every RID with its authors).
Each branch gets a pattern index of its own, and PostgreSQL combines the two (BitmapOr).

The planner's statistics of surnames are kept ten times finer than by default (1,000 values and bounds, of the column
and of the index's ``UPPER``): with 100, a surname outside the hundred most common was expected five times rarer
than it is (8,000 RIDs for 20,000), so the list was counted (0.1 s) instead of estimated and its first page was
sorted out of all 20,000 RIDs (0.3 s) instead of read newest first until 50 matched.

PostgreSQL only: ``text_pattern_ops`` is its operator class (an ``Index`` of the model cannot carry it on SQLite).
SQLite's LIKE, case-insensitive for ASCII, cannot use such an index anyway: it reads the people table, N/3 rows.
"""

from django.db import migrations

INDEXES = {
    "registry_person_last_name_like": "(last_name varchar_pattern_ops)",
    "registry_person_last_name_upper_like": "(UPPER(last_name::text) text_pattern_ops)",
}
STATISTICS = 1000


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, columns in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON registry_person {columns}")
    schema_editor.execute(f"ALTER TABLE registry_person ALTER COLUMN last_name SET STATISTICS {STATISTICS}")
    schema_editor.execute(
        f"ALTER INDEX registry_person_last_name_upper_like ALTER COLUMN 1 SET STATISTICS {STATISTICS}"
    )
    schema_editor.execute("ANALYZE registry_person")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    schema_editor.execute("ALTER TABLE registry_person ALTER COLUMN last_name SET STATISTICS -1")


class Migration(migrations.Migration):
    dependencies = [("registry", "0012_protected_status_review_death_date")]
    operations = [migrations.RunPython(forward, backward, elidable=False)]
