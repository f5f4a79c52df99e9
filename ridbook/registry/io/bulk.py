"""Bulk INSERT for the import: ``COPY`` on PostgreSQL, one prepared statement over many rows on SQLite.

``bulk_create`` prepares every value of every row through the ORM — a few microseconds each, two million values
for 20,000 RIDs with their authors, events and audit records, which kept the import near 1,200 rows/s. Here each
field's conversion is chosen once and plain values (text, numbers, flags, ids) pass as they are. Missing values are
the fields' defaults; ``auto_now``/``auto_now_add`` fields get the time of the call; ``None`` is NULL. Nothing
else of ``save()`` happens — no signals: the caller writes the audit trail itself.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import partial
from typing import Any

from django.db import connections, models, router
from django.utils import timezone

BATCH = 1000
_PLAIN = (models.CharField, models.TextField, models.IntegerField, models.BooleanField)


def insert(model: type[models.Model], rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert ``rows`` (``{attname: value}``; an instance's ``vars()`` will do) into ``model``'s table."""
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    spec: list[tuple[str, Any, Callable[[Any], Any] | None, bool]] = []
    for f in fields:
        automatic = bool(getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False))
        plain = isinstance(f, _PLAIN) or f.is_relation
        convert: Callable[[Any], Any] | None = None if plain else partial(f.get_db_prep_save, connection=connection)
        stamp = (now if isinstance(f, models.DateTimeField) else timezone.localdate()) if automatic else None
        if stamp is not None and convert is not None:
            stamp = convert(stamp)
        spec.append((f.attname, stamp, convert, automatic))
    defaults = {f.attname: f.get_default() for f in fields}
    values = []
    for row in rows:
        line = []
        for name, stamp, convert, automatic in spec:
            value = row.get(name, defaults[name])
            if value is None:  # NULL, or the time of the call for auto_now(_add) fields (converted once)
                line.append(stamp if automatic else None)
            else:
                line.append(convert(value) if convert is not None else value)
        values.append(line)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(f.column)) for f in fields)
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({', '.join(['%s'] * len(spec))})"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # COPY: one stream instead of a round trip per row
            with cursor.cursor.copy(f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN") as copy:
                for line in values:
                    copy.write_row(line)
            return
        for i in range(0, len(values), BATCH):
            cursor.executemany(sql, values[i : i + BATCH])
