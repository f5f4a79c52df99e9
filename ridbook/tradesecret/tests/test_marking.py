"""The marking in every generated file, found by opening the file: the copy's DOCX (title page and the header of
every section, with the copy's number) and PDF, the content's text, CSV and XLSX exports (first line, first row), the
register's XLSX and the inventory's act. Each generation is journaled."""

from __future__ import annotations

import io
import os
from datetime import date

import pytest
from docx import Document
from openpyxl import load_workbook

from ridbook.core.errors import PermissionDeniedError
from ridbook.tradesecret import documents, marking
from ridbook.tradesecret.models import JournalEntry
from ridbook.tradesecret.register import register_xlsx
from ridbook.tradesecret.services import copies as cs
from ridbook.tradesecret.services import inventory as inv

from .conftest import ADDRESS, HOLDER
from .pdftext import pdf_text

pytestmark = pytest.mark.django_db

MARK = "КОММЕРЧЕСКАЯ ТАЙНА"


def _copy(officer, regime):
    return cs.copy_make(actor=officer, regime=regime, medium="electronic", purpose="испытания", issued_to=officer)


def _assert_marked_docx(data: bytes, copy_number: int | None = None) -> None:
    document = Document(io.BytesIO(data))
    first = document.paragraphs[0].text
    assert first.startswith(MARK) and HOLDER in first and ADDRESS in first
    for section in document.sections:
        header = "\n".join(p.text for p in section.header.paragraphs)
        assert MARK in header and HOLDER in header
        if copy_number:
            assert f"Экземпляр № {copy_number}" in header
    if copy_number:
        assert f"Экземпляр № {copy_number}" in first


def test_the_copy_docx_is_marked_on_the_title_page_and_every_header(officer, regime):
    copy = _copy(officer, regime)
    data, name = documents.copy_document(actor=officer, copy=copy, file_format="docx")
    assert name.endswith("экз. 1.docx")
    _assert_marked_docx(data, copy_number=1)
    assert "Рельс нагревают" in "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    generated = JournalEntry.objects.filter(regime=regime, action="document", copy_number=1)
    assert generated.count() == 1 and "DOCX" in generated.get().what


def test_a_multi_section_document_is_marked_in_each_section():
    document = Document()
    document.add_paragraph("Раздел 1")
    document.add_section()
    document.add_paragraph("Раздел 2")
    marking.mark_docx(document, "КОММЕРЧЕСКАЯ ТАЙНА. Обладатель: ВУЗ", copy_number=3)
    assert len(document.sections) == 2
    for section in document.sections:
        assert "Экземпляр № 3" in section.header.paragraphs[0].text


def test_the_copy_pdf_is_marked(officer, regime):
    if not marking.pdf_available():
        if os.environ.get("RIDBOOK_REQUIRE_PDF") == "1":
            pytest.fail("LibreOffice Writer is missing and RIDBOOK_REQUIRE_PDF=1")
        pytest.skip("PDF test skipped: LibreOffice Writer is not installed (apt-get install libreoffice-writer-nogui)")
    copy = _copy(officer, regime)
    data, _name = documents.copy_document(actor=officer, copy=copy, file_format="pdf")
    assert data.startswith(b"%PDF")
    text = pdf_text(data).replace(" ", "")
    assert MARK.replace(" ", "") in text
    assert HOLDER.replace(" ", "") in text and "Экземпляр№1" in text


def test_text_csv_and_xlsx_exports_carry_the_marking_first(officer, regime):
    expected = marking.marking_text(regime)
    txt, _ = documents.content_export(actor=officer, regime=regime, file_format="txt")
    assert txt.decode().splitlines()[0] == expected
    csv, _ = documents.content_export(actor=officer, regime=regime, file_format="csv")
    assert csv.decode("utf-8-sig").splitlines()[0] == expected
    xlsx, _ = documents.content_export(actor=officer, regime=regime, file_format="xlsx")
    sheet = load_workbook(io.BytesIO(xlsx)).active
    assert sheet.cell(1, 1).value == expected
    assert "Рельс нагревают" in str([c.value for row in sheet.iter_rows() for c in row])
    exports = JournalEntry.objects.filter(regime=regime, action="export", granted=True)
    assert sorted(exports.values_list("channel", flat=True)) == ["export.csv", "export.txt", "export.xlsx"]


def test_an_export_off_the_access_list_is_refused_and_journaled(author, regime):
    with pytest.raises(PermissionDeniedError):
        documents.content_export(actor=author, regime=regime, file_format="txt")
    assert JournalEntry.objects.filter(regime=regime, action="export", granted=False).count() == 1


def test_the_register_xlsx_is_marked(officer, regime):
    sheet = load_workbook(io.BytesIO(register_xlsx(officer))).active
    assert str(sheet.cell(1, 1).value).startswith(MARK)
    assert sheet.cell(2, 1).value == "Учётный номер"
    assert sheet.cell(3, 1).value == regime.rid.number
    assert sheet.cell(3, 8).value == "1"  # the access list: the officer (text, as every cell)


def test_the_act_docx_is_marked(officer, org_tree, regime):
    inventory = inv.inventory_open(actor=officer, organization=org_tree["department"], year=date.today().year)
    entry = inventory.entries.get()
    inv.entry_record(
        actor=officer, entry=entry, result="found", creation_place="Кафедра", storage_place="Сейф № 3", use_place=""
    )
    closed = inv.inventory_close(actor=officer, inventory=inventory, act_number="1")
    with closed.act_docx.open("rb") as stored:
        document = Document(io.BytesIO(stored.read()))
    first = document.paragraphs[0].text
    assert first.startswith(MARK) and org_tree["university"].name in first and ADDRESS in first
    assert all(MARK in s.header.paragraphs[0].text for s in document.sections)
