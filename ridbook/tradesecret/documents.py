"""Files with the content of a trade-secret RID, every one marked (``marking.py``): the numbered copy (DOCX, PDF),
the content's exports (text, CSV, XLSX). Each is read through the access gate (``copies_content.content_for``, which
journals the access) and journaled as what it is: the document generated (with the copy's number) or the export."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document
from docx.shared import Pt

from ridbook.core.errors import DomainError
from ridbook.core.xlsx import SheetWriter
from ridbook.tradesecret.choices import CopyState
from ridbook.tradesecret.copies_content import Content, content_for
from ridbook.tradesecret.marking import copy_label, docx_to_pdf, mark_docx, mark_text, marked_header, marking_text
from ridbook.tradesecret.models import Copy, JournalAction, Regime
from ridbook.tradesecret.services.common import require_keep, require_restricting

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES = {
    "docx": DOCX_TYPE,
    "pdf": "application/pdf",
    "txt": "text/plain; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "xlsx": XLSX_TYPE,
}
EXPORT_FORMATS = ("txt", "csv", "xlsx")


def _content_docx(regime: Regime, content: Content, copy_number: int | None) -> bytes:
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(12)
    document.add_heading(content.title or regime.rid.number, level=1)
    document.add_paragraph(f"Учётный номер: {regime.rid.number}")  # i18n: ru-only (the Russian document)
    for label, text in content.sections():
        document.add_heading(label, level=2)
        document.add_paragraph(text or "—")
    mark_docx(document, marking_text(regime), copy_number=copy_number)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def copy_document(*, actor: Any, copy: Copy, file_format: str, request: Any = None) -> tuple[bytes, str]:
    """The numbered copy as a marked DOCX (or its PDF): only of an issued copy, while the regime restricts."""
    if file_format not in ("docx", "pdf"):
        raise DomainError(_("Копия выдаётся в DOCX или PDF."), code="invalid")
    regime = copy.regime
    require_keep(actor, regime)
    require_restricting(regime)
    if copy.state != CopyState.ISSUED:
        raise DomainError(
            _("Документ копии № %(n)s не формируется: копия «%(state)s».")
            % {"n": copy.number, "state": copy.get_state_display()},
            code="copy_state",
        )
    # one journal entry: the gate's, with the copy's number and the format
    content = content_for(
        actor,
        regime,
        action=JournalAction.DOCUMENT,
        channel=f"copy.{file_format}",
        request=request,
        what=f"{copy_label(copy.number)} ({file_format.upper()})",
        copy_number=copy.number,
    )
    data = _content_docx(regime, content, copy.number)
    if file_format == "pdf":
        pdf = docx_to_pdf(data)
        if pdf is None:
            raise DomainError(_("PDF не формируется: на сервере не установлен LibreOffice."), code="pdf_unavailable")
        data = pdf
    name = f"{regime.rid.number} экз. {copy.number}.{file_format}"  # i18n: ru-only (file name)
    return data, name


def content_export(*, actor: Any, regime: Regime, file_format: str, request: Any = None) -> tuple[bytes, str]:
    """The content as text, CSV or XLSX, the marking first; for the people of the access list (reading)."""
    if file_format not in EXPORT_FORMATS:
        raise DomainError(_("Выгрузка возможна в форматах: %(formats)s.") % {"formats": ", ".join(EXPORT_FORMATS)})
    require_restricting(regime)
    content = content_for(actor, regime, action=JournalAction.EXPORT, channel=f"export.{file_format}", request=request)
    marking = marking_text(regime)
    rows = [[label, text] for label, text in content.sections()]
    if file_format == "txt":
        body = "\n\n".join(f"{label}:\n{text}" for label, text in rows)
        data = mark_text(body, marking).encode("utf-8")
    elif file_format == "csv":
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=";").writerows(rows)
        data = mark_text(buffer.getvalue(), marking).encode("utf-8-sig")
    else:
        out = io.BytesIO()
        sheet_name = "Содержание"  # i18n: ru-only (the sheet of a Russian document)
        with SheetWriter(out, sheet_name, marked_header(marking, 2), [40, 100]) as sheet:
            sheet.rows([["Раздел", "Текст"], *rows])  # i18n: ru-only (as above)
        data = out.getvalue()
    stamp = timezone.localdate().strftime("%Y%m%d")
    return data, f"{regime.rid.number}-{stamp}.{file_format}"
