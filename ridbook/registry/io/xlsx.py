"""A streaming writer of a one-sheet XLSX: the sheet's XML goes row by row into the zip, nothing is kept in memory.

openpyxl (even in write-only mode) builds a cell object and an XML element for every cell: about 4,000 rows/s for
the registry's 15 columns. The export needs only text, dates, a bold header, column widths and a frozen first row,
so it writes the SpreadsheetML itself — text as inline strings (so «=…» stays text: an inline string is never a
formula), dates as serial numbers with a ДД.ММ.ГГГГ format. The file opens in Excel, LibreOffice and openpyxl.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from openpyxl.utils import get_column_letter

_EPOCH = date(1899, 12, 30).toordinal()  # Excel's day 0 (with its 1900 leap-year bug folded in)
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # not allowed in XML 1.0
_STYLE_BOLD, _STYLE_DATE = 1, 2

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
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
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
    'Target="styles.xml"/></Relationships>'
)
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="DD.MM.YYYY"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    "</fills>"
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def _escape(text: str) -> str:
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if _ILLEGAL.search(text):
        text = _ILLEGAL.sub("", text)
    return text


def _workbook(sheet_name: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<sheets><sheet name="{_escape(sheet_name)}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )


class SheetWriter:
    """``with SheetWriter(target, "Лист", header, widths) as sheet: sheet.rows(rows)`` — rows of text (None or ""
    for an empty cell) and dates."""

    def __init__(
        self, target: str | Path | IO[bytes], sheet_name: str, header: Sequence[str], widths: Sequence[float]
    ) -> None:
        self.zip = zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1)
        self.sheet_name, self.header, self.widths = sheet_name, list(header), list(widths)
        self.letters = [get_column_letter(i) for i in range(1, len(self.header) + 1)]
        self.stream: IO[bytes] | None = None
        self.row = 0

    def __enter__(self) -> SheetWriter:
        self.zip.writestr("[Content_Types].xml", _CONTENT_TYPES)  # first, as Excel writes it
        self.zip.writestr("_rels/.rels", _ROOT_RELS)
        self.zip.writestr("xl/workbook.xml", _workbook(self.sheet_name))
        self.zip.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        self.zip.writestr("xl/styles.xml", _STYLES)
        self.stream = self.zip.open("xl/worksheets/sheet1.xml", "w", force_zip64=True)
        cols = "".join(
            f'<col min="{i}" max="{i}" width="{width}" customWidth="1"/>' for i, width in enumerate(self.widths, 1)
        )
        self.stream.write(
            (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                '<sheetViews><sheetView workbookViewId="0">'
                '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
                '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
                f"<cols>{cols}</cols><sheetData>"
            ).encode()
        )
        self.row = 1
        cells = "".join(
            f'<c r="{letter}1" s="{_STYLE_BOLD}" t="inlineStr"><is><t>{_escape(name)}</t></is></c>'
            for letter, name in zip(self.letters, self.header, strict=True)
        )
        self.stream.write(f'<row r="1">{cells}</row>'.encode())
        return self

    def rows(self, rows: Iterable[Sequence[Any]]) -> int:
        """Append rows; return how many."""
        assert self.stream is not None
        letters, escape, epoch = self.letters, _escape, _EPOCH
        count, pieces = 0, []
        number = self.row
        for values in rows:
            number += 1
            count += 1
            cells = []
            for letter, value in zip(letters, values, strict=False):
                if value is None or value == "":
                    continue
                if isinstance(value, str):
                    space = ' xml:space="preserve"' if value[0] in " \t\n" or value[-1] in " \t\n" else ""
                    cells.append(f'<c r="{letter}{number}" t="inlineStr"><is><t{space}>{escape(value)}</t></is></c>')
                elif isinstance(value, date):
                    day = (value.date() if isinstance(value, datetime) else value).toordinal() - epoch
                    cells.append(f'<c r="{letter}{number}" s="{_STYLE_DATE}"><v>{day}</v></c>')
                else:
                    cells.append(f'<c r="{letter}{number}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>')
            pieces.append(f'<row r="{number}">{"".join(cells)}</row>')
            if len(pieces) >= 1000:
                self.stream.write("".join(pieces).encode())
                pieces = []
        if pieces:
            self.stream.write("".join(pieces).encode())
        self.row = number
        return count

    def __exit__(self, *exc: object) -> None:
        try:
            if self.stream is not None:
                self.stream.write(b"</sheetData></worksheet>")
                self.stream.close()
        finally:
            self.zip.close()
