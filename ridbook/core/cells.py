"""Cells of the spreadsheets we write (CSV and XLSX): text a spreadsheet would run as a formula goes out behind an
apostrophe, and the CSV that Russian Excel opens with a double click.

CSV: UTF-8 with a byte-order mark, «;» between values (Excel in the Russian locale splits on «;» because «,» is the
decimal separator), CRLF line ends. Shared by the registry's export and the change log's.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence

FORMULA_STARTS = "=+-@\t\r"  # a spreadsheet may run a cell that begins so as a formula (OWASP: CSV injection)
MAY_NEED_QUOTE = "'" + FORMULA_STARTS  # the first characters ``neutralized`` looks further at
CSV_DELIMITER = ";"
BOM = "\ufeff"


def _formula_like(text: str) -> bool:
    """Begins with a formula's character, after any apostrophes: «=1+1», «-50 °C», «'-50 °C»."""
    rest = text.lstrip("'")
    return bool(rest) and rest[0] in FORMULA_STARTS


def neutralized(text: str) -> str:
    """An exported cell that a spreadsheet would run as a formula goes behind an apostrophe (OWASP's recipe: Excel
    shows it as text): «=1+1» → «'=1+1». One that has apostrophes before such a character already gets one more, so
    that ``restored`` gives back exactly what was exported."""
    return f"'{text}" if text[:1] and text[0] in MAY_NEED_QUOTE and _formula_like(text) else text


def restored(text: str) -> str:
    """What ``neutralized`` made of a cell, read back: «'=1+1» → «=1+1», «''-5» → «'-5»; other text is left."""
    return text[1:] if text[:1] == "'" and _formula_like(text) else text


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_header(header: Sequence[str]) -> str:
    """The first line of a CSV file: the byte-order mark and the header."""
    return BOM + csv.writer(_Echo(), delimiter=CSV_DELIMITER).writerow(header)


def csv_rows(rows: Iterable[Sequence[str]]) -> str:
    """Rows of text (already neutralized where needed) as CSV lines."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=CSV_DELIMITER).writerows(rows)
    return buffer.getvalue()


def csv_stream(header: Sequence[str], chunks: Iterable[Iterable[Sequence[str | None]]]) -> Iterator[str]:
    """A CSV file in pieces, a chunk of rows each, for ``StreamingHttpResponse``: every cell neutralized."""
    yield csv_header(header)
    for chunk in chunks:
        yield csv_rows([neutralized(cell or "") for cell in row] for row in chunk)
