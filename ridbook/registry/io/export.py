"""Export of the registry to CSV and XLSX, streaming: RIDs are read ``CHUNK`` at a time with their authors.

CSV is what Russian Excel opens with a double click: UTF-8 with a byte-order mark, «;» between values (Excel in the
Russian locale splits on «;» because «,» is the decimal separator), CRLF line ends, dates ДД.ММ.ГГГГ; text that
a spreadsheet would take for a formula is prefixed with «'» (in XLSX too). XLSX is written row by row into the zip by ``xlsx.SheetWriter``
(never all in memory), dates as real dates.
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import IO, Any

from django.db import connections, models
from django.db.models import QuerySet
from django.utils import timezone, translation

from ridbook.core.cells import csv_header, csv_rows, neutralized
from ridbook.core.xlsx import SheetWriter, xlsx_stream
from ridbook.registry.choices import FundingKind, Origin, RidKind, RidStatus
from ridbook.registry.io.columns import (
    LIST_SEPARATOR,
    OWN_COLUMNS,
    format_coefficient,
    format_date,
    short_name,
    yes_no,
)
from ridbook.registry.models import Authorship, Person, Rid

CHUNK = 2000
PEOPLE_CACHE = 100_000  # names of people the export has met (bounded: the memory stays flat)
_FIELDS = (
    "pk",
    "number",
    "kind",
    "other_subtype",
    "title",
    "origin",
    "organization__short_name",
    "status",
    "created_at",
    "funding_kind",
    "keywords",
    "okpd2",
    "ipc_codes",
    "published",
    "publication_date",
    "trade_secret",
)
_WIDTHS = [16, 22, 60, 14, 18, 26, 12, 26, 40, 14, 20, 60, 12, 14, 12]

Cell = str | date | None


Chunk = list[tuple[Any, ...]]


def _chunks(queryset: QuerySet[Rid]) -> Iterator[tuple[Chunk, dict[int, str]]]:
    """The RIDs' values (``_FIELDS``) ``CHUNK`` at a time, each chunk with its RIDs' authors."""
    rows = queryset.values_list(*_FIELDS).iterator(chunk_size=CHUNK)
    names: dict[int, str] = {}
    while chunk := list(islice(rows, CHUNK)):
        yield chunk, _authors_of([row[0] for row in chunk], queryset.db, names)


def _labels(choices: type[models.TextChoices]) -> dict[str, str]:
    return {value: str(label) for value, label in choices.choices}


def export_records(queryset: QuerySet[Rid]) -> Iterator[list[Cell]]:
    """The rows of the registry in the order of ``OWN_COLUMNS`` (dates as dates), without the header."""
    with translation.override("ru"):  # the registry file is Russian whatever the language of the page
        kinds, origins = _labels(RidKind), _labels(Origin)
        statuses, fundings = _labels(RidStatus), _labels(FundingKind)
    tz = timezone.get_current_timezone()
    for chunk, authors in _chunks(queryset):
        for (
            pk,
            number,
            kind,
            subtype,
            title,
            origin,
            division,
            status,
            created_at,
            funding,
            keywords,
            okpd2,
            ipc,
            published,
            publication_date,
            trade_secret,
        ) in chunk:
            yield [
                number,
                f"{kinds.get(kind, kind)}: {subtype}" if subtype else kinds.get(kind, kind),
                title,
                origins.get(origin, origin),
                division or "",
                statuses.get(status, status),
                created_at.astimezone(tz).date() if created_at else None,
                fundings.get(funding, funding),
                LIST_SEPARATOR.join(map(str, keywords or [])),
                okpd2,
                LIST_SEPARATOR.join(map(str, ipc or [])),
                authors.get(pk, ""),
                yes_no(published),
                publication_date,
                yes_no(trade_secret),
            ]


def _authors_of(rid_ids: list[int], using: str, names: dict[int, str]) -> dict[int, str]:
    """«Фамилия И. О. (NN %); …» of the authors of these RIDs, in their order, by hand: the authorships of the chunk,
    then the names of the people not in ``names`` yet (the export's cache), ids sorted — a join would look each
    person up at random, a disk page each at a million RIDs."""
    connection = connections[using]
    quote = connection.ops.quote_name
    authorships = _rows_for(
        connection,
        f"SELECT a.rid_id, a.person_id, a.coefficient FROM {quote(Authorship._meta.db_table)} a "
        f"WHERE a.rid_id {{}} ORDER BY a.rid_id, a.{quote('order')}, a.id",
        rid_ids,
    )
    wanted = {person_id for _, person_id, _ in authorships}
    if len(names) + len(wanted) > PEOPLE_CACHE:
        names.clear()  # bounded memory: the cache starts anew
    missing = sorted(wanted - names.keys())
    people = (
        f"SELECT p.id, p.last_name, p.first_name, p.middle_name FROM {quote(Person._meta.db_table)} p WHERE p.id {{}}"
    )
    for person_id, last, first, middle in _rows_for(connection, people, missing):
        names[person_id] = short_name(last, first or "", middle or "")
    result: dict[int, list[str]] = defaultdict(list)
    for rid_id, person_id, coefficient in authorships:
        result[rid_id].append(f"{names[person_id]} ({_coefficient(str(coefficient))} %)")
    return {rid_id: LIST_SEPARATOR.join(items) for rid_id, items in result.items()}


def _rows_for(connection: Any, sql: str, ids: list[int]) -> list[tuple[Any, ...]]:
    """``sql`` (with ``{}`` where «IN these ids» goes) for ``ids``: one array parameter on PostgreSQL, batches of
    placeholders elsewhere."""
    if not ids:
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(sql.format("= ANY(%s)"), [ids])
            return list(cursor.fetchall())
        rows: list[tuple[Any, ...]] = []
        for i in range(0, len(ids), 900):
            batch = ids[i : i + 900]
            cursor.execute(sql.format(f"IN ({', '.join(['%s'] * len(batch))})"), batch)
            rows += cursor.fetchall()
        return rows


@lru_cache(maxsize=4096)
def _coefficient(text: str) -> str:
    """«33.34» (as the database returns it, a Decimal on PostgreSQL, a number on SQLite) → «33,34»."""
    return format_coefficient(Decimal(text))


@lru_cache(maxsize=65536)
def _csv_date(value: date) -> str:
    return format_date(value)


def _csv_pieces(queryset: QuerySet[Rid]) -> Iterator[tuple[str, int]]:
    """The header, then ``CHUNK`` rows at a time: the cells of ``export_records`` with dates as ДД.ММ.ГГГГ and text
    that a spreadsheet would run as a formula («=…», «+…», «-…», «@…», a tab or a carriage return first) behind an
    apostrophe (``core.cells.neutralized``), which Excel hides and the import removes. Only the columns of free text are
    checked (our labels, dates and «да»/«нет» never look like one)."""
    yield csv_header(OWN_COLUMNS), 0

    def day(value: date | None) -> str:
        return _csv_date(value) if value else ""

    def label(value: str) -> str:
        return value

    text = neutralized
    cell: tuple[Callable[[Any], str], ...] = (
        text,
        label,
        text,
        label,
        text,
        label,
        day,
        label,
        text,
        text,
        text,
        text,
        label,
        day,
        label,
    )
    assert len(cell) == len(OWN_COLUMNS)
    records = export_records(queryset)
    while chunk := list(islice(records, CHUNK)):
        converted = ([convert(value) for convert, value in zip(cell, row, strict=True)] for row in chunk)
        yield csv_rows(converted), len(chunk)


def csv_stream(queryset: QuerySet[Rid]) -> Iterator[str]:
    """CSV text in pieces of ``CHUNK`` rows, for ``StreamingHttpResponse(csv_stream(qs), content_type=...)``."""
    return (text for text, _rows in _csv_pieces(queryset))


def export_csv(queryset: QuerySet[Rid], stream: IO[Any]) -> int:
    """Write the CSV to a binary (UTF-8 bytes) or a text stream; return the number of RIDs written."""
    binary = not isinstance(stream, io.TextIOBase)
    count = 0
    for text, rows in _csv_pieces(queryset):
        stream.write(text.encode("utf-8") if binary else text)
        count += rows
    return count


SHEET_NAME = "Реестр РИД"  # i18n: ru-only (the sheet of the Russian registry file)


def export_xlsx(queryset: QuerySet[Rid], target: str | Path | IO[bytes]) -> int:
    """Write the XLSX to a path or a binary stream; return the number of RIDs written."""
    with SheetWriter(target, SHEET_NAME, OWN_COLUMNS, _WIDTHS) as sheet:
        return sheet.rows(export_records(queryset))


def xlsx_bytes(queryset: QuerySet[Rid]) -> Iterator[bytes]:
    """The XLSX in pieces of about ``CHUNK`` rows, for ``StreamingHttpResponse(xlsx_bytes(qs), content_type=...)``."""
    records = export_records(queryset)
    return xlsx_stream(SHEET_NAME, OWN_COLUMNS, _WIDTHS, iter(lambda: list(islice(records, CHUNK)), []))
