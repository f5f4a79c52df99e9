"""The streaming XLSX writer, read back with openpyxl (what Excel and the import read)."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

import openpyxl

from ridbook.core.xlsx import SheetWriter, excel_serial, xlsx_stream

HEADER = ["Номер", "Название", "Дата"]


def read(data: bytes) -> openpyxl.worksheet.worksheet.Worksheet:
    return openpyxl.load_workbook(io.BytesIO(data)).active


def test_text_dates_and_empty_cells_read_back_as_written():
    buffer = io.BytesIO()
    rows = [
        ["РИД-1", "Способ «А» & <Б>", date(2024, 3, 5)],
        ["62.01", "=1+1", None],
        ["", "  отступ и хвост  ", datetime(2023, 1, 2, 15, 30)],
        ["управляющий\x01символ", "строка\nвторая", date(1900, 3, 1)],
    ]
    with SheetWriter(buffer, "Реестр РИД", HEADER, [10, 40, 12]) as sheet:
        assert sheet.rows(rows) == 4
    ws = read(buffer.getvalue())
    assert ws.title == "Реестр РИД"
    assert [c.value for c in ws[1]] == HEADER and ws["A1"].font.bold and not ws["A2"].font.bold
    assert [c.value for c in ws[2]] == ["РИД-1", "Способ «А» & <Б>", datetime(2024, 3, 5)]
    assert ws["C2"].number_format == "DD.MM.YYYY" and ws["C2"].is_date
    assert (ws["A3"].value, ws["A3"].data_type) == ("62.01", "s")  # text stays text, never a number
    assert (ws["B3"].value, ws["B3"].data_type) == ("'=1+1", "s")  # never a formula, even re-saved as CSV
    assert ws["C3"].value is None and ws["A4"].value is None
    assert ws["B4"].value == "  отступ и хвост  "
    assert ws["C4"].value == datetime(2023, 1, 2)  # a date: the time of day is dropped
    assert ws["A5"].value == "управляющийсимвол"  # XML 1.0 cannot hold \x01: dropped, the row kept
    assert ws["B5"].value == "строка\nвторая"
    assert ws["C5"].value == datetime(1900, 3, 1) and excel_serial(date(1900, 3, 1)) == 61
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions["B"].width == 40


def test_the_stream_gives_the_same_workbook_in_pieces():
    chunks = [
        [[f"РИД-{i}", f"Название {i}", date(2020, 1, 1 + i % 28)] for i in range(start, start + 500)]
        for start in (0, 500, 1000)
    ]
    pieces = list(xlsx_stream("Лист", HEADER, [10, 20, 12], chunks))
    assert len(pieces) > 2  # it streams: bytes leave as the rows are written, not once at the end
    data = b"".join(pieces)
    assert zipfile.ZipFile(io.BytesIO(data)).testzip() is None
    rows = list(read(data).iter_rows(values_only=True))
    assert len(rows) == 1501
    assert rows[1] == ("РИД-0", "Название 0", datetime(2020, 1, 1))
    assert rows[1500] == ("РИД-1499", "Название 1499", datetime(2020, 1, 1 + 1499 % 28))
