"""The change log as CSV or XLSX (the filtered log, streamed): the house's writers (``core.cells``, ``core.xlsx``),
every cell of text neutralized against formulas.

One row per changed field (when, who, action, object, organization, field, before, after), the record's columns
repeated; a record without changed fields (a deletion) is one row with the last three empty. So each of «Поле»,
«Было» and «Стало» holds one value, which a spreadsheet can filter and sort — joined into one cell they would have to
be split again, and an abstract of a thousand characters would make one cell of many fields.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ridbook.audit.models import ChangeRecord
from ridbook.audit.presentation import Entry, present
from ridbook.core import cells, xlsx

COLUMNS = [_("Когда"), _("Кто"), _("Действие"), _("Объект"), _("Организация"), _("Поле"), _("Было"), _("Стало")]
_WIDTHS = [17, 32, 12, 60, 20, 32, 40, 40]
SHEET_NAME = _("Журнал изменений")
CHUNK = 500  # records read and named at a time (a query per model they refer to, per chunk)
FORMATS = ("csv", "xlsx")


def export_rows(records: QuerySet[ChangeRecord]) -> Iterator[list[list[str]]]:
    """Rows of ``COLUMNS``, a chunk of ``CHUNK`` records at a time."""
    found = records.iterator(chunk_size=CHUNK)
    while chunk := list(islice(found, CHUNK)):
        yield [row for entry in present(chunk) for row in entry_rows(entry)]


def entry_rows(entry: Entry) -> list[list[str]]:
    head = [entry.when, entry.who, entry.action, entry.object, entry.organization]
    if not entry.changes:
        return [[*head, "", "", ""]]
    return [[*head, change.label, change.old, change.new] for change in entry.changes]


def export_response(records: QuerySet[ChangeRecord], file_format: str) -> StreamingHttpResponse:
    """The download of the log: «csv» (the default) or «xlsx»."""
    name = f"zhurnal-izmenenij-{timezone.localdate():%Y-%m-%d}"
    if file_format == "xlsx":
        response = StreamingHttpResponse(
            xlsx.xlsx_stream(str(SHEET_NAME), [str(c) for c in COLUMNS], _WIDTHS, export_rows(records)),
            content_type=xlsx.CONTENT_TYPE,
        )
        name += ".xlsx"
    else:
        response = StreamingHttpResponse(
            cells.csv_stream([str(c) for c in COLUMNS], export_rows(records)), content_type="text/csv; charset=utf-8"
        )
        name += ".csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
