"""Reading a spreadsheet (XLSX or CSV) row by row, whatever Excel or a portal made of it.

The format is recognized by content, not by the file name. CSV: the encoding is UTF-8 (with or without byte-order
marks, even a stray one before a data cell, as in FIPS open data), UTF-16 with a mark, or Windows-1251 (read
correctly, with a warning); the separator is what the header line uses («;», «,» or tab). XLSX: the first sheet;
title rows above the header are skipped; merged header cells are refused by name. Row numbers are those Excel shows.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import chain
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _

from ridbook.core.cells import restored
from ridbook.core.uploads import BoundedZipFile, UploadRefused, import_limits
from ridbook.registry.io.columns import NO, YES, header_key

Value = str | date
HEADER_SEARCH_ROWS = 10
_SCAN = 1 << 20


class FileProblem(Exception):
    """The file cannot be read as a table at all; the message says why, in Russian."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Table:
    header: list[str]
    header_row: int
    rows: Iterator[tuple[int, list[Value]]]  # (row number, values); empty rows are left out
    kind: str = "csv"  # or "xlsx"
    notes: list[str] = field(default_factory=list)
    close: Callable[[], None] = lambda: None


def open_table(source: str | Path | IO[bytes], known_headers: set[str]) -> Table:
    """Open ``source`` and find its header: the first of the top rows that names at least two known columns.

    A path is opened and closed here; a stream passed in is left open for its owner.
    """
    owned = isinstance(source, str | Path)
    stream: IO[bytes] = open(source, "rb") if isinstance(source, str | Path) else source  # noqa: SIM115
    if not stream.seekable():
        stream = io.BytesIO(stream.read())
    release = stream.close if owned else (lambda: None)
    try:
        table = _open(stream, known_headers)
    except FileProblem:
        release()
        raise
    close = table.close

    def close_all() -> None:
        close()
        release()

    table.close = close_all
    return table


def _open(stream: IO[bytes], known_headers: set[str]) -> Table:
    start = stream.read(8)
    stream.seek(0)
    if start.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileProblem(_("Файл в старом формате Excel (.xls): сохраните его как .xlsx или как CSV UTF-8."))
    if start.startswith(b"PK\x03\x04"):
        rows, merged, close = _xlsx_rows(stream)
        table = _with_header(rows, known_headers, close)
        bad = [ref for ref, (top, bottom) in merged() if top <= table.header_row <= bottom]
        if bad:
            table.close()
            raise FileProblem(
                _(
                    "В строке заголовка объединены ячейки %(list)s: у каждого столбца должно быть своё название в отдельной ячейке — разъедините ячейки."
                )
                % {"list": ", ".join(bad)}
            )
        table.kind = "xlsx"
        return table
    encoding, note = _detect_encoding(stream)
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")

    def detach() -> None:  # leave the byte stream to its owner (a wrapper closes it when collected)
        with contextlib.suppress(ValueError):  # already detached
            text.detach()

    table = _with_header(_csv_rows(text, encoding), known_headers, detach)
    if note:
        table.notes.append(note)
    return table


def _with_header(rows: Iterator[tuple[int, list[Value]]], known: set[str], close: Callable[[], None]) -> Table:
    seen: list[tuple[int, list[Value]]] = []
    for number, values in rows:
        seen.append((number, values))
        names = [header_key(str(v)) for v in values]
        if sum(1 for n in names if n in known) >= 2:
            return Table(_trim([str(v).strip() for v in values]), number, rows, close=close)
        if len(seen) >= HEADER_SEARCH_ROWS:
            break
    if not seen:
        close()
        raise FileProblem(_("Файл пуст: нет ни заголовка, ни строк."))
    number, values = seen[0]
    return Table(_trim([str(v).strip() for v in values]), number, iter(()), close=close)


def _trim(header: list[str]) -> list[str]:
    while header and not header[-1]:
        header.pop()
    return header


def _clean(values: Iterable[Any]) -> list[Value]:
    result: list[Value] = []
    for v in values:
        if v is None:
            result.append("")
        elif isinstance(v, datetime):
            result.append(v.date())
        elif isinstance(v, date):
            result.append(v)
        elif isinstance(v, bool):
            result.append(YES if v else NO)
        elif isinstance(v, float) and v.is_integer():
            result.append(str(int(v)))
        else:
            text = str(v)
            result.append((restored(text) if text[:1] == "'" else text).replace("\ufeff", "").strip())
    return result


# --- CSV --------------------------------------------------------------------------------------------------------


def _detect_encoding(stream: IO[bytes]) -> tuple[str, str]:
    """UTF-8 (a mark is dropped), UTF-16 with a mark, or Windows-1251 when the bytes are not UTF-8."""
    start = stream.read(4)
    stream.seek(0)
    if start.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16", ""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := stream.read(_SCAN):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
        stream.seek(0)
        return "utf-8-sig", ""
    except UnicodeDecodeError:
        stream.seek(0)
    while chunk := stream.read(_SCAN):
        if b"\x98" in chunk:  # the one byte Windows-1251 does not define
            stream.seek(0)
            raise FileProblem(_("Файл не в кодировке UTF-8 и не в Windows-1251: сохраните его как «CSV UTF-8»."))
    stream.seek(0)
    return "cp1251", _("Файл в кодировке Windows-1251: прочитан в ней. Лучше сохранять выгрузки как «CSV UTF-8».")


def _csv_rows(text: io.TextIOWrapper, encoding: str) -> Iterator[tuple[int, list[Value]]]:
    try:
        first = text.readline()
        counts = {d: first.count(d) for d in (";", ",", "\t")}
        delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
        reader = csv.reader(chain([first], text), delimiter=delimiter)
        for number, values in enumerate(reader, start=1):
            # as ``_clean`` does for text (a CSV has nothing else), inline: it is done for every cell of the file
            cells: list[Value] = [(restored(v) if v[:1] == "'" else v).replace("\ufeff", "").strip() for v in values]
            if any(cells):
                yield number, cells
    except UnicodeDecodeError:
        raise FileProblem(
            _("Файл не читается в кодировке %(encoding)s: сохраните его как «CSV UTF-8».") % {"encoding": encoding}
        ) from None
    except csv.Error as exc:
        raise FileProblem(_("Файл не похож на таблицу CSV: %(exc)s.") % {"exc": exc}) from None


# --- XLSX -------------------------------------------------------------------------------------------------------

_MERGE_RE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')


def _xlsx_rows(
    stream: IO[bytes],
) -> tuple[Iterator[tuple[int, list[Value]]], Callable[[], list[tuple[str, tuple[int, int]]]], Callable[[], None]]:
    from openpyxl.reader.excel import ExcelReader

    try:
        # openpyxl's ``load_workbook``, with the parts read through a bounded ZIP (``core.uploads``)
        reader = ExcelReader(stream, read_only=True, data_only=True)
        reader.archive = BoundedZipFile(stream, import_limits())
        reader.read()
        workbook = reader.wb
        sheet = workbook.worksheets[0]
    except UploadRefused:
        raise
    except Exception:  # openpyxl raises many kinds (zip, XML, key errors) for a damaged file
        raise FileProblem(_("Файл XLSX повреждён или это не таблица Excel: откройте и сохраните его заново.")) from None

    def rows() -> Iterator[tuple[int, list[Value]]]:
        try:
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                cells = _clean(values)
                if any(cells):
                    yield number, cells
        except UploadRefused:
            raise
        except Exception:  # a damaged part of the archive or its XML, found only when its rows are read
            raise FileProblem(
                _("Файл XLSX повреждён: не все строки читаются. Откройте и сохраните его заново.")
            ) from None

    def merged() -> list[tuple[str, tuple[int, int]]]:
        """Merged ranges, found in the sheet's XML (read-only openpyxl does not expose them)."""
        found = []
        tail = b""
        with sheet._get_source() as source:
            while chunk := source.read(_SCAN):
                data = tail + chunk
                for m in _MERGE_RE.finditer(data):
                    c1, r1, c2, r2 = (g.decode() if g else "" for g in m.groups())
                    ref = f"{c1}{r1}:{c2}{r2}" if c2 else f"{c1}{r1}"
                    found.append((ref, (int(r1), int(r2 or r1))))
                tail = data[-200:]
        return list(dict.fromkeys(found))

    return rows(), merged, workbook.close
