"""Акт учёта РИД, охраняемых в режиме коммерческой тайны (UZ app. 3 §11–13): DOCX, marked «КОММЕРЧЕСКАЯ ТАЙНА»
with the holder (the legal entity) on the title page and in the header; the entries by place of creation, storage
and use with what was found; the changes since the last closed act. The whole document is Russian (it goes to the
ministry), so its text is never translated."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from ridbook.tradesecret.marking import holder_marking, mark_docx
from ridbook.tradesecret.models import Inventory
from ridbook.tradesecret.register import creation_time

HEAD = [
    "№",  # i18n: ru-only (the act's columns)
    "Учётный номер",  # i18n: ru-only (the act's columns)
    "Наименование",  # i18n: ru-only (the act's columns)
    "Авторы",  # i18n: ru-only (the act's columns)
    "Время создания",  # i18n: ru-only (the act's columns)
    "Место создания",  # i18n: ru-only (the act's columns)
    "Место хранения",  # i18n: ru-only (the act's columns)
    "Носитель",  # i18n: ru-only (the act's columns)
    "Место использования",  # i18n: ru-only (the act's columns)
    "Допущено лиц",  # i18n: ru-only (the act's columns)
    "Результат",  # i18n: ru-only (the act's columns)
    "Примечание",  # i18n: ru-only (the act's columns)
]


def _day(value: str | date | None) -> str:
    if not value:
        return "—"
    day = date.fromisoformat(value) if isinstance(value, str) else value
    return day.strftime("%d.%m.%Y")


def act_marking(inventory: Inventory) -> str:
    """The holder of the act: the legal entity, with the address recorded in its regimes (when one is)."""
    address = next(
        (e.regime.holder_address for e in inventory.entries.select_related("regime") if e.regime.holder_address), ""
    )
    return holder_marking(inventory.organization.name, address)


def _change_lines(changes: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    for number in changes.get("added", []):
        lines.append(f"Взят на учёт: {number}.")  # i18n: ru-only (the act's text)
    for item in changes.get("ended", []):
        lines.append(f"Режим прекращён: {item['number']}, {_day(item['on'])} ({item['reason']}).")  # i18n: ru-only
    for item in changes.get("moved", []):
        lines.append(f"Место хранения изменено: {item['number']}: «{item['from']}» → «{item['to']}».")  # i18n: ru-only
    for item in changes.get("access_added", []):
        lines.append(f"Допущен(а): {item['person']} к {item['number']} с {_day(item['on'])}.")  # i18n: ru-only
    for item in changes.get("access_removed", []):
        lines.append(f"Допуск прекращён: {item['person']} к {item['number']} {_day(item['on'])}.")  # i18n: ru-only
    for item in changes.get("copies_made", []):
        lines.append(f"Изготовлен экземпляр № {item['copy']} {item['number']} {_day(item['on'])}.")  # i18n: ru-only
    for item in changes.get("copies_destroyed", []):
        lines.append(f"Уничтожен экземпляр № {item['copy']} {item['number']} {_day(item['on'])}.")  # i18n: ru-only
    return lines


def act_docx(inventory: Inventory) -> bytes:
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(11)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(f"АКТ № {inventory.act_number}")  # i18n: ru-only (the act's title)
    run.bold = True
    subtitle = document.add_paragraph(
        f"учёта результатов интеллектуальной деятельности, охраняемых в режиме коммерческой тайны, за {inventory.year} год"  # i18n: ru-only
    )
    subtitle.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph(f"Организация: {inventory.organization.name}")  # i18n: ru-only (the act's text)
    document.add_paragraph(
        f"Учёт начат {_day(inventory.started_on)}, акт составлен {_day(inventory.closed_on)}."  # i18n: ru-only
    )
    entries = list(
        inventory.entries.select_related("regime__rid", "regime__organization").prefetch_related(
            "regime__rid__authorships__person", "regime__grants"
        )
    )
    table = document.add_table(rows=1, cols=len(HEAD))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, HEAD, strict=True):
        cell.text = text
    for n, entry in enumerate(entries, start=1):
        regime = entry.regime
        authors = ", ".join(a.person.short_name for a in regime.rid.authorships.all())
        access = sum(1 for g in regime.grants.all() if g.removed_on is None)
        values = [
            str(n),
            regime.rid.number,
            regime.register_name or regime.rid.title,
            authors,
            _day(creation_time(regime)),
            entry.creation_place,
            entry.storage_place,
            regime.get_storage_medium_display() if regime.storage_medium else "",
            entry.use_place,
            str(access),
            entry.get_result_display(),
            entry.note,
        ]
        for cell, text in zip(table.add_row().cells, values, strict=True):
            cell.text = text or "—"
    document.add_paragraph(f"Всего на учёте: {len(entries)}.")  # i18n: ru-only (the act's text)
    changes = inventory.changes or {}
    previous = changes.get("previous")
    heading = (
        f"Изменения с акта № {previous['number']} от {_day(previous['closed_on'])} (за {previous['year']} год)"  # i18n: ru-only
        if previous
        else "Изменения: предыдущего акта нет — все РИД взяты на учёт впервые"  # i18n: ru-only (the act's text)
    )
    document.add_heading(heading, level=2)
    for line in _change_lines(changes) or ["Изменений нет."]:  # i18n: ru-only (the act's text)
        document.add_paragraph(line, style="List Bullet")
    closer = inventory.closed_by
    name = (getattr(closer, "full_name", "") or closer.get_username()) if closer else ""
    document.add_paragraph(f"Акт составил: ____________ {name}")  # i18n: ru-only (the act's signature line)
    document.add_paragraph(
        "Акт представляется в Министерство инновационного развития не позднее 15 декабря."  # i18n: ru-only
    )
    mark_docx(document, act_marking(inventory))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
