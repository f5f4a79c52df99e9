"""Export of the registry to CSV and XLSX, streaming: RIDs are read ``CHUNK`` at a time with their authors.

CSV is what Russian Excel opens with a double click: UTF-8 with a byte-order mark, «;» between values (Excel in the
Russian locale splits on «;» because «,» is the decimal separator), CRLF line ends, dates ДД.ММ.ГГГГ; text that Excel would take for a formula is prefixed with «'». XLSX is
written by openpyxl in write-only mode (rows go to a temporary file, never all in memory), dates as real dates.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from itertools import islice
from pathlib import Path
from typing import IO, Any

from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ridbook.registry.choices import FundingKind, Origin, RidKind, RidStatus
from ridbook.registry.io.columns import (
    FORMULA_STARTS,
    LIST_SEPARATOR,
    OWN_COLUMNS,
    format_coefficient,
    format_date,
    short_name,
    yes_no,
)
from ridbook.registry.models import Authorship, Rid

CHUNK = 2000
CSV_DELIMITER = ";"
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


def export_records(queryset: QuerySet[Rid]) -> Iterator[list[Cell]]:
    """The rows of the registry in the order of ``OWN_COLUMNS`` (dates as dates), without the header."""
    kinds, origins = dict(RidKind.choices), dict(Origin.choices)
    statuses, fundings = dict(RidStatus.choices), dict(FundingKind.choices)
    tz = timezone.get_current_timezone()
    rows = queryset.values_list(*_FIELDS).iterator(chunk_size=CHUNK)
    while chunk := list(islice(rows, CHUNK)):
        authors = _authors_of([row[0] for row in chunk])
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
                LIST_SEPARATOR.join(authors.get(pk, [])),
                yes_no(published),
                publication_date,
                yes_no(trade_secret),
            ]


def _authors_of(rid_ids: list[int]) -> dict[int, list[str]]:
    """«Фамилия И. О. (NN %)» of the authors of these RIDs, in their order: one query per chunk."""
    result: dict[int, list[str]] = defaultdict(list)
    rows = (
        Authorship.objects.filter(rid_id__in=rid_ids)
        .order_by("rid_id", "order", "id")
        .values_list("rid_id", "person__last_name", "person__first_name", "person__middle_name", "coefficient")
    )
    for rid_id, last, first, middle, coefficient in rows:
        result[rid_id].append(f"{short_name(last, first, middle)} ({format_coefficient(coefficient)} %)")
    return result


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_pieces(queryset: QuerySet[Rid]) -> Iterator[tuple[str, int]]:
    writer = csv.writer(_Echo(), delimiter=CSV_DELIMITER)
    yield "\ufeff" + writer.writerow(OWN_COLUMNS), 0
    records = export_records(queryset)
    while chunk := list(islice(records, CHUNK)):
        text = "".join(writer.writerow([_csv_value(v) for v in row]) for row in chunk)
        yield text, len(chunk)


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


def export_xlsx(queryset: QuerySet[Rid], target: str | Path | IO[bytes]) -> int:
    """Write the XLSX to a path or a binary stream; return the number of RIDs written."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Реестр РИД")
    sheet.freeze_panes = "A2"
    for index, width in enumerate(_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    bold = Font(bold=True)
    header = []
    for name in OWN_COLUMNS:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    count = 0
    for row in export_records(queryset):
        sheet.append([_xlsx_value(sheet, v) for v in row])
        count += 1
    workbook.save(target)
    return count


def _csv_value(value: Cell) -> str | None:
    """Dates as ДД.ММ.ГГГГ; text that Excel would run as a formula («=…», «+…», «-…», «@…») gets an apostrophe,
    which Excel hides and the import removes."""
    if isinstance(value, date):
        return format_date(value)
    if value and value[0] in FORMULA_STARTS:
        return f"'{value}"
    return value


def _xlsx_value(sheet: Any, value: Cell) -> Any:
    """Dates as dates shown ДД.ММ.ГГГГ; text beginning with «=» stays text (openpyxl would write a formula)."""
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "DD.MM.YYYY"
        return cell
    if value and value[0] == "=":
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value
