"""A streaming one-sheet XLSX: the sheet's XML is written row by row into the zip (deflated as it goes, never all in
memory), text always as text (inline strings: «62.01» stays text; «=1+1» goes behind an apostrophe, as in the CSV:
``cells.neutralized``), dates as real dates, a bold frozen header and column widths.

Written by hand because the export must reach 20,000 rows/s: openpyxl (even write-only) builds an object per cell,
about 4,000 rows/s for the registry's 15 columns; XlsxWriter in constant-memory mode calls a method per cell, about
90,000 cells/s (6,000 rows/s). An XLSX of one sheet is six small fixed parts and the sheet, which is one ``<row>`` of
``<c>`` per row (ECMA-376 part 1, §18.3.1). The import still reads files with openpyxl, and the tests read what this
writes with openpyxl.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any
from xml.sax.saxutils import quoteattr

from openpyxl.utils import get_column_letter

from ridbook.core.cells import MAY_NEED_QUOTE, neutralized

# Characters XML 1.0 forbids (dropped), and the three to escape; one search tells whether a row needs either.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SPECIAL = re.compile(r"[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_EPOCH = date(1899, 12, 30).toordinal()  # Excel's day 0 (with its 1900 leap-year bug, right from March 1900)
_STYLE_BOLD, _STYLE_DATE = 1, 2
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

_CONTENT_TYPES = (
    _XML + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    _XML + f'<Relationships xmlns="{_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK_RELS = (
    _XML + f'<Relationships xmlns="{_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/>'
    "</Relationships>"
)
# Cell styles: 0 plain, 1 bold (the header), 2 a date ДД.ММ.ГГГГ.
_STYLES = (
    _XML + f'<styleSheet xmlns="{_MAIN}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="DD.MM.YYYY"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def _workbook(sheet_name: str) -> str:
    return (
        _XML + f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
        f'<sheets><sheet name={quoteattr(sheet_name)} sheetId="1" r:id="rId1"/></sheets></workbook>'
    )


def _sheet_head(widths: Sequence[float]) -> str:
    columns = "".join(
        f'<col min="{n}" max="{n}" width="{width}" customWidth="1"/>' for n, width in enumerate(widths, start=1)
    )
    return (
        _XML + f'<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">'
        '<sheetViews><sheetView tabSelected="1" workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
        f'<sheetFormatPr defaultRowHeight="15"/>{f"<cols>{columns}</cols>" if columns else ""}<sheetData>'
    )


_SHEET_TAIL = "</sheetData></worksheet>"


def _escape(text: str) -> str:
    return _ILLEGAL.sub("", text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def excel_serial(day: date) -> int:
    """The day as Excel counts it (1900 date system): 1 March 1900 is 61."""
    return day.toordinal() - _EPOCH


class SheetWriter:
    """``with SheetWriter(target, "Лист", header, widths) as sheet: sheet.rows(rows)`` — rows of text (None or ""
    for an empty cell) and dates; ``target`` is a path or a binary stream (it need not be seekable)."""

    def __init__(
        self, target: str | Path | IO[bytes], sheet_name: str, header: Sequence[str], widths: Sequence[float]
    ) -> None:
        self.zip = zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1)
        self.sheet_name, self.header, self.widths = sheet_name[:31], list(header), list(widths)
        self.letters = [get_column_letter(n) for n in range(1, len(self.header) + 1)]
        self.sheet: IO[bytes] | None = None
        self.row = 0

    def __enter__(self) -> SheetWriter:
        for name, text in (
            ("[Content_Types].xml", _CONTENT_TYPES),
            ("_rels/.rels", _ROOT_RELS),
            ("xl/workbook.xml", _workbook(self.sheet_name)),
            ("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS),
            ("xl/styles.xml", _STYLES),
        ):
            self.zip.writestr(name, text)
        self.sheet = self.zip.open("xl/worksheets/sheet1.xml", "w", force_zip64=True)
        self.sheet.write(_sheet_head(self.widths).encode())
        self.row = 0
        self._write([self._row(self.header, _STYLE_BOLD)])
        return self

    def _row(self, values: Sequence[Any], style: int = 0, escaped: bool = False) -> str:
        """One ``<row>``: text as inline strings, dates as serial numbers in the date style, empty cells left out."""
        self.row += 1
        n = str(self.row)
        text_style = f' s="{style}"' if style else ""
        cells, texts = [], []
        for letter, value in zip(self.letters, values, strict=False):
            if value is None or value == "":
                continue
            if isinstance(value, date):
                day = value.date() if isinstance(value, datetime) else value
                cells.append(f'<c r="{letter}{n}" s="{_STYLE_DATE}"><v>{day.toordinal() - _EPOCH}</v></c>')
                continue
            text = value if value.__class__ is str else str(value)
            if text and text[0] in MAY_NEED_QUOTE:  # «=1+1» → «'=1+1»: never a formula, even re-saved as CSV
                text = neutralized(text)
            texts.append(text)
            cells.append(
                f'<c r="{letter}{n}"{text_style} t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'
            )
        if not escaped and _SPECIAL.search("".join(texts)):  # rare: a «&», «<», «>» or a control character
            self.row -= 1
            plain = [v if v is None or isinstance(v, date) else _escape(str(v)) for v in values]
            return self._row(plain, style, escaped=True)
        return f'<row r="{n}">{"".join(cells)}</row>'

    def _write(self, rows: list[str]) -> None:
        assert self.sheet is not None
        self.sheet.write("".join(rows).encode())

    def rows(self, rows: Iterable[Sequence[Any]], batch: int = 1000) -> int:
        """Append rows; return how many."""
        pending: list[str] = []
        count = 0
        for values in rows:
            pending.append(self._row(values))
            count += 1
            if len(pending) == batch:
                self._write(pending)
                pending = []
        self._write(pending)
        return count

    def __exit__(self, *exc: object) -> None:
        if self.sheet is not None:
            self.sheet.write(_SHEET_TAIL.encode())
            self.sheet.close()
        self.zip.close()


class _Drain:
    """A write-only, unseekable binary stream whose writes ``take()`` hands on: what a zip writes, piece by piece."""

    def __init__(self) -> None:
        self.pieces: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.pieces.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data, self.pieces = b"".join(self.pieces), []
        return data


def xlsx_stream(
    sheet_name: str, header: Sequence[str], widths: Sequence[float], chunks: Iterable[Sequence[Sequence[Any]]]
) -> Iterator[bytes]:
    """The XLSX's bytes as ``chunks`` of rows are written, for ``StreamingHttpResponse``: the file never sits whole in
    memory."""
    drain = _Drain()
    with SheetWriter(drain, sheet_name, header, widths) as sheet:  # type: ignore[arg-type]
        for chunk in chunks:
            sheet.rows(chunk)
            if data := drain.take():
                yield data
    yield drain.take()


CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
