"""Bulk INSERT for the import: ``COPY`` on PostgreSQL, one prepared statement over many rows on SQLite.

``bulk_create`` prepares every value of every row through the ORM — a few microseconds each, two million values
for 20,000 RIDs with their authors, events and audit records, which kept the import near 1,200 rows/s. Here each
field's conversion is chosen once and plain values (text, numbers, flags, ids) pass as they are. Missing values are
the fields' defaults; ``auto_now``/``auto_now_add`` fields get the time of the call; ``None`` is NULL. Nothing
else of ``save()`` happens — no signals: the caller writes the audit trail itself.
"""

from __future__ import annotations

import json
import queue
import threading
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from operator import itemgetter
from typing import Any

from django.db import connections, models, router
from django.utils import timezone
from psycopg._copy_base import format_row_text  # psycopg's own COPY formatter (a dependency on every database)
from psycopg.adapt import Transformer

BATCH = 1000
_PLAIN = (models.CharField, models.TextField, models.IntegerField, models.BooleanField)
# psycopg writes these as they are (a DateTimeField is a DateField)
_AS_IS_ON_POSTGRES = (models.DecimalField, models.DateField, models.TimeField)


def _json(value: Any, encode: Callable[[Any], str]) -> str:
    if not value and isinstance(value, list):
        return "[]"  # most list fields of a RID are empty
    return encode(value)


def _encoder(encoder: type[json.JSONEncoder] | None) -> Callable[[Any], str]:
    """``json.dumps(value, cls=encoder, ensure_ascii=False)`` with one encoder for all the rows, not one a value."""
    return (encoder or json.JSONEncoder)(ensure_ascii=False).encode


Spec = list[tuple[str, Any, Callable[[Any], Any] | None, bool]]  # attname, stamp, converter, automatic


def _rows_whole(rows: Sequence[Mapping[str, Any]], names: list[str], spec: Spec) -> list[Any] | None:
    """Rows that carry every field (a model instance's ``vars()``): one ``itemgetter`` call a row takes them all,
    then only the columns that need it are converted. None when a row lacks a field."""
    getter = itemgetter(*names) if len(names) > 1 else (lambda row: (row[names[0]],))
    try:
        values = [getter(row) for row in rows]
    except KeyError:
        return None
    todo = [
        (i, stamp, convert, automatic) for i, (_, stamp, convert, automatic) in enumerate(spec) if convert or automatic
    ]
    if not todo:
        return values

    def fixed(line: tuple[Any, ...]) -> list[Any]:
        cells = list(line)
        for i, stamp, convert, automatic in todo:
            value = cells[i]
            if value is None:
                if automatic:
                    cells[i] = stamp
            elif convert is not None:
                cells[i] = convert(value)
        return cells

    return [fixed(line) for line in values]


def _rows_by_column(rows: Sequence[Mapping[str, Any]], fields: list[Any], spec: Spec) -> list[Any]:
    """Rows that may lack fields (their defaults): column by column (one comprehension each), then zipped into
    rows — a loop per value costs several times more."""
    columns_values = []
    for f, (name, stamp, convert, automatic) in zip(fields, spec, strict=True):
        default = f.get_default()
        column = [row.get(name, default) for row in rows]
        if convert is not None:
            column = [None if value is None else convert(value) for value in column]
        if automatic:  # None: the time of the call (``stamp`` is converted already)
            column = [stamp if value is None else value for value in column]
        columns_values.append(column)
    return list(zip(*columns_values, strict=True))


def reserve_pks(model: type[models.Model], count: int) -> list[int] | None:
    """PostgreSQL: ``count`` new primary keys of ``model`` from its sequence (so ``insert(..., with_pk=True)`` needs
    no read-back of the ids). None on other databases."""
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql" or count == 0:
        return None
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, column, count]
        )
        return [row[0] for row in cursor.fetchall()]


class PkReserve:
    """PostgreSQL: primary keys of ``model`` taken from its sequence in growing blocks (the first one as large as
    asked, then ``GROWTH`` times what was taken so far, up to ``LARGEST``): a 100,000-row import asks the server
    four times, not once per chunk — each time it waits for the ``COPY`` in progress. A block not used up leaves a
    gap in the ids (of 64 bits), as a rolled-back insert does."""

    GROWTH = 4
    LARGEST = 100_000

    def __init__(self, model: type[models.Model]) -> None:
        self.model = model
        self.free: list[int] = []
        self.taken = 0

    def take(self, count: int) -> list[int] | None:
        if count > len(self.free):
            more = max(count - len(self.free), min(self.GROWTH * self.taken, self.LARGEST))
            reserved = reserve_pks(self.model, more)
            if reserved is None:
                return None
            self.free += reserved
        pks, self.free = self.free[:count], self.free[count:]
        self.taken += count
        return pks


def insert(
    model: type[models.Model],
    rows: Sequence[Mapping[str, Any]],
    *,
    with_pk: bool = False,
    sender: Sender | None = None,
) -> None:
    """Insert ``rows`` (``{attname: value}``; an instance's ``vars()`` will do) into ``model``'s table.

    ``with_pk``: the rows carry their primary keys (from ``reserve_pks``); otherwise the database numbers them.
    ``sender`` (PostgreSQL): the values are prepared here, the ``COPY`` runs in the sender's thread."""
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
    postgres = connection.vendor == "postgresql"
    spec: Spec = []
    for f in fields:
        automatic = bool(getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False))
        # psycopg writes a Decimal as it is; COPY's text format takes JSON as text (no Jsonb wrapper per value)
        plain = (
            isinstance(f, _PLAIN) or f.is_relation or f.primary_key or (postgres and isinstance(f, _AS_IS_ON_POSTGRES))
        )
        convert: Callable[[Any], Any] | None = None if plain else partial(f.get_db_prep_save, connection=connection)
        if isinstance(f, models.JSONField):
            convert = partial(_json, encode=_encoder(f.encoder))
        stamp = (now if isinstance(f, models.DateTimeField) else timezone.localdate()) if automatic else None
        if stamp is not None and convert is not None:
            stamp = convert(stamp)
        spec.append((f.attname, stamp, convert, automatic))
    names = [name for name, _, _, _ in spec]
    values = _rows_whole(rows, names, spec) if all(name in rows[0] for name in names) else None
    if values is None:
        values = _rows_by_column(rows, fields, spec)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(f.column)) for f in fields)
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({', '.join(['%s'] * len(spec))})"
    if postgres:  # COPY: one stream instead of a round trip per row
        copy_sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
        if sender is not None:
            sender.submit(copy_sql, values)
            return
        with connection.cursor() as cursor:
            _send(cursor.cursor, copy_sql, copy_data(Transformer(cursor.cursor), values))
        return
    with connection.cursor() as cursor:
        for i in range(0, len(values), BATCH):
            cursor.executemany(sql, values[i : i + BATCH])


def copy_data(transformer: Any, values: Sequence[Sequence[Any]]) -> bytearray:
    """The rows in ``COPY``'s text format, by psycopg's own formatter (what ``Copy.write_row`` calls; C in
    psycopg[binary])."""
    data = bytearray()
    for line in values:
        format_row_text(line, transformer, data)
    return data


class Sender:
    """PostgreSQL: runs the ``COPY``s of a large import in a thread of its own, on the caller's connection (so in
    its transaction), while the caller goes on checking the next rows: the server's work (index upkeep, the
    foreign-key checks) overlaps the Python work instead of following it. The rows are formatted in the caller's
    thread (by psycopg's own formatter, as ``Copy.write_row`` does), so the thread holds the GIL only to hand the
    bytes over. The connection's lock keeps the caller's own queries between two ``COPY``s; at most ``DEPTH`` wait,
    so memory stays flat.

    ``close()`` waits for the last ``COPY`` and raises the first error of the thread (as Django's exception: a
    number taken meanwhile by another user is an ``IntegrityError``); a ``COPY`` after an error is dropped."""

    DEPTH = 8

    def __init__(self, connection: Any) -> None:
        connection.ensure_connection()
        self.connection = connection
        self.transformer = Transformer(connection.connection)
        self.error: BaseException | None = None
        self.jobs: queue.Queue[tuple[str, bytearray] | None] = queue.Queue(maxsize=self.DEPTH)
        self.thread = threading.Thread(target=self._run, args=(connection.connection,), name="ridbook-copy")
        self.thread.start()

    def _run(self, raw: Any) -> None:
        while (job := self.jobs.get()) is not None:
            if self.error is None:
                try:
                    with raw.cursor() as cursor:
                        _send(cursor, *job)
                except BaseException as exc:  # handed to the caller's thread
                    self.error = exc

    def submit(self, sql: str, values: Sequence[Sequence[Any]]) -> None:
        self.raise_error()
        self.jobs.put((sql, copy_data(self.transformer, values)))

    def raise_error(self) -> None:
        if self.error is not None:
            with self.connection.wrap_database_errors:
                raise self.error

    def close(self) -> None:
        if self.thread.is_alive():
            self.jobs.put(None)
            self.thread.join()
        self.raise_error()


def _send(cursor: Any, sql: str, data: bytearray) -> None:
    with cursor.copy(sql) as copy:
        copy.write(data)
