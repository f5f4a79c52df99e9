"""Гриф «КОММЕРЧЕСКАЯ ТАЙНА» (UZ app. 3 §9; Federal law 98-FZ art. 10 part 5: the marking names the holder and its
address). Every rendering of a trade-secret RID's content carries :func:`marking_text`: the page's banner, the first
line of a text export, the title page and the header of a DOCX or PDF.

The marks of files: :func:`mark_docx` (the title page's first line and the header of every section, with «Экземпляр
№ N» for a numbered copy), :func:`docx_to_pdf` (the marked DOCX converted by LibreOffice: the PDF carries what the
DOCX does), :func:`mark_text` (the first line of a text or CSV export), :func:`marked_rows` (the first row of an
XLSX export)."""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from ridbook.core.errors import DomainError
from ridbook.tradesecret.models import Regime

MARK = "КОММЕРЧЕСКАЯ ТАЙНА"  # i18n: ru-only (the statutory marking, the same in every language)
PDF_TIMEOUT_SECONDS = 60


def holder_of(regime: Regime) -> tuple[str, str]:
    """The holder's name and address: as recorded in the regime, else the organization's."""
    organization = regime.organization
    name = regime.holder_name or getattr(organization, "name", "")
    address = regime.holder_address  # the organization keeps no address: the regime records it
    return name, address


def holder_marking(name: str, address: str) -> str:
    """«КОММЕРЧЕСКАЯ ТАЙНА. Обладатель: …, адрес: …» for a holder (a document of several RIDs of one holder)."""
    parts = [MARK, f"Обладатель: {name}"]  # i18n: ru-only (the marking is in the document's language, Russian)
    if address:
        parts.append(f"адрес: {address}")  # i18n: ru-only (as above)
    return ". ".join(parts[:2]) + (f", {parts[2]}" if len(parts) > 2 else "")


def marking_text(regime: Regime) -> str:
    """«КОММЕРЧЕСКАЯ ТАЙНА. Обладатель: …, адрес: …» in one line."""
    return holder_marking(*holder_of(regime))


def copy_label(number: int) -> str:
    return f"Экземпляр № {number}"  # i18n: ru-only (the copy's number in the Russian marking)


def full_marking(marking: str, copy_number: int | None = None) -> str:
    """The marking with the copy's number, when the file is a numbered copy."""
    return f"{marking}. {copy_label(copy_number)}" if copy_number else marking


# --- DOCX and PDF ---------------------------------------------------------------------------------------------------


def mark_docx(document: DocxDocument, marking: str, *, copy_number: int | None = None) -> DocxDocument:
    """The marking on the title page (the first paragraph, bold, right-aligned) and in the header of every section
    (the first section's first-page header too, when the document has a different first page)."""
    line = full_marking(marking, copy_number)
    body = document.paragraphs
    title = body[0].insert_paragraph_before() if body else document.add_paragraph()
    run = title.add_run(line)
    run.bold = True
    run.font.size = Pt(12)
    title.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for section in document.sections:
        headers = [section.header]
        if section.different_first_page_header_footer:
            headers.append(section.first_page_header)
        for header in headers:
            header.is_linked_to_previous = False
            paragraph = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
            if paragraph.text:
                paragraph = paragraph.insert_paragraph_before()
            head_run = paragraph.add_run(line)
            head_run.bold = True
            head_run.font.size = Pt(9)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.core_properties.subject = line
    return document


def pdf_available() -> bool:
    from ridbook.commission.documents import pdf_available as office_available

    return office_available()


def docx_to_pdf(content: bytes) -> bytes | None:
    """The DOCX as PDF through LibreOffice (as the commission's protocol); ``None`` where it is not installed."""
    from ridbook.commission.documents import _office

    office = _office()
    if office is None:
        return None
    with tempfile.TemporaryDirectory(prefix="ridbook-tradesecret-") as tmp:
        folder = Path(tmp)
        source = folder / "document.docx"
        source.write_bytes(content)
        command = [
            office,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(source),
        ]
        try:
            subprocess.run(command, check=True, capture_output=True, timeout=PDF_TIMEOUT_SECONDS)
        except (subprocess.SubprocessError, OSError) as exc:
            raise DomainError(_("PDF не сформирован: %(error)s.") % {"error": exc}, code="pdf_failed") from exc
        target = folder / "document.pdf"
        if not target.is_file():
            raise DomainError(_("PDF не сформирован: LibreOffice не создал файл."), code="pdf_failed")
        return target.read_bytes()


# --- text, CSV and XLSX exports ---------------------------------------------------------------------------------------


def mark_text(text: str, marking: str, *, copy_number: int | None = None) -> str:
    """The marking as the first line of a text or CSV export."""
    return f"{full_marking(marking, copy_number)}\n{text}"


def marked_rows(rows: Iterable[Sequence[Any]], marking: str) -> Iterator[Sequence[Any]]:
    """The rows of a table export with the marking as the first row (in its first cell)."""
    yield [marking]
    yield from rows


def marked_header(marking: str, columns: int) -> list[str]:
    """The first (bold) row of an XLSX export (``core.xlsx.SheetWriter``'s header): the marking in its first cell;
    the columns' names follow as the second row."""
    return [marking] + [""] * (columns - 1)
