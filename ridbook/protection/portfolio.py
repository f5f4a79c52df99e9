"""Import of an existing portfolio of protection documents from a spreadsheet (XLSX or CSV), as the registry's
import: the file is checked whole; a dry run (the default) writes nothing; a real run writes every row or none.

Columns (the header row, case and spaces do not matter): «Учётный номер РИД» (a RID of the organization's tree),
«Вид документа» (патент на изобретение, …, or the code), «Номер», «Номер заявки», «Дата подачи», «Дата приоритета»,
«Дата выдачи», «Дата публикации», «Страна», «Ведомство», «Где хранится подлинник». The documents are recorded in
force, with their schedules; the fees due before the import are not ridbook's to check (``fees_tracked_from``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ridbook.accounts.permissions import Action, require
from ridbook.audit.context import acting_as
from ridbook.core.errors import DomainError
from ridbook.core.uploads import check_upload, import_limits
from ridbook.organizations.selectors import descendant_ids
from ridbook.protection.choices import DocumentKind
from ridbook.protection.models import ProtectionDocument
from ridbook.registry.io.columns import header_key, parse_date
from ridbook.registry.io.reading import FileProblem, open_table
from ridbook.registry.models import Rid

RID = "Учётный номер РИД"  # i18n: ru-only (a column of the Russian file)
KIND = "Вид документа"  # i18n: ru-only (a column of the Russian file)
NUMBER = "Номер"  # i18n: ru-only (a column of the Russian file)
DATES = {
    "filing_date": "Дата подачи",  # i18n: ru-only (a column of the Russian file)
    "priority_date": "Дата приоритета",  # i18n: ru-only (a column of the Russian file)
    "granted_on": "Дата выдачи",  # i18n: ru-only (a column of the Russian file)
    "published_on": "Дата публикации",  # i18n: ru-only (a column of the Russian file)
}
TEXTS = {
    "application_number": ("Номер заявки", 50),  # i18n: ru-only (a column of the Russian file)
    "country": ("Страна", 2),  # i18n: ru-only (a column of the Russian file)
    "office": ("Ведомство", 100),  # i18n: ru-only (a column of the Russian file)
    "original_location": ("Где хранится подлинник", 300),  # i18n: ru-only (a column of the Russian file)
}
COLUMNS = [RID, KIND, NUMBER, *DATES.values(), *(c for c, _n in TEXTS.values())]
REQUIRED = [RID, KIND, NUMBER, DATES["filing_date"]]


@dataclass
class PortfolioReport:
    rows: int = 0
    documents: int = 0
    dry_run: bool = True
    written: bool = False
    errors: list[str] = field(default_factory=list)


def _kind(text: str) -> str | None:
    text = text.strip().casefold()
    for code, label in DocumentKind.choices:
        if text in (code, str(label).casefold()):
            return str(code)
    return None


def portfolio_import(
    source: str | Path | IO[bytes], *, actor: Any, organization: Any, dry_run: bool = True
) -> PortfolioReport:
    """Check (and unless ``dry_run``, write) the file's documents; the report lists every bad row."""
    require(actor, Action.FILING_MANAGE, organization)
    check_upload(source, import_limits())
    report = PortfolioReport(dry_run=dry_run)
    try:
        table = open_table(source, {header_key(c) for c in COLUMNS})
    except FileProblem as exc:
        report.errors.append(exc.message)
        return report
    try:
        keys = [header_key(h) for h in table.header]
        position = {c: keys.index(header_key(c)) for c in COLUMNS if header_key(c) in keys}
        missing = [c for c in REQUIRED if c not in position]
        if missing:
            report.errors.append(_("Нет обязательных столбцов: %(columns)s.") % {"columns": ", ".join(missing)})
            return report
        rows = list(table.rows)
    finally:
        table.close()
    tree = descendant_ids({organization.pk})
    rids = {
        r.number: r
        for r in Rid.objects.filter(organization_id__in=tree, number__in=[_cell(v, position, RID) for _n, v in rows])
    }
    parsed: list[tuple[Rid, dict[str, Any]]] = []
    seen: set[tuple[str, str, str]] = set()
    for number, values in rows:
        report.rows += 1
        problems: list[str] = []
        rid = rids.get(_cell(values, position, RID))
        if rid is None:
            problems.append(_("РИД «%(number)s» не найден в организации.") % {"number": _cell(values, position, RID)})
        kind = _kind(_cell(values, position, KIND))
        if kind is None:
            problems.append(_("Неизвестный вид документа «%(kind)s».") % {"kind": _cell(values, position, KIND)})
        data: dict[str, Any] = {"number": _cell(values, position, NUMBER)[:50]}
        if not data["number"]:
            problems.append(_("Не указан номер документа."))
        for name, column in DATES.items():
            raw = _cell(values, position, column)
            day = parse_date(raw) if raw else None
            if raw and day is None:
                problems.append(_("«%(column)s»: дата «%(raw)s» не распознана.") % {"column": column, "raw": raw})
            data[name] = day
        if data["filing_date"] is None and not any(f"«{DATES['filing_date']}»" in p for p in problems):
            problems.append(_("Не указана дата подачи заявки."))
        for name, (column, width) in TEXTS.items():
            value = _cell(values, position, column)[:width]
            if value:
                data[name] = value
        key = (str(kind), data.get("country", "RU"), data["number"])
        if key in seen or ProtectionDocument.objects.filter(kind=kind, country=key[1], number=key[2]).exists():
            problems.append(_("Документ № %(number)s уже есть (в реестре или выше в файле).") % {"number": key[2]})
        seen.add(key)
        if problems:
            report.errors += [_("Строка %(row)s: %(problem)s") % {"row": number, "problem": p} for p in problems]
            continue
        assert rid is not None
        parsed.append((rid, {"kind": kind, **data}))
    report.documents = len(parsed)
    if dry_run or report.errors or not parsed:
        return report
    from ridbook.protection.deadlines import document_deadlines_refresh
    from ridbook.protection.services import document_create

    today = timezone.localdate()
    with transaction.atomic(), acting_as(actor):
        for rid, data in parsed:
            kind, number = data.pop("kind"), data.pop("number")
            document = document_create(actor=actor, rid=rid, kind=kind, number=number, **data)
            ProtectionDocument.objects.filter(pk=document.pk).update(fees_tracked_from=today)
            document_deadlines_refresh([document.pk])
    report.written = True
    return report


def _cell(values: list[Any], position: dict[str, int], column: str) -> str:
    i = position.get(column)
    if i is None or i >= len(values):
        return ""
    value = values[i]
    return f"{value:%d.%m.%Y}" if isinstance(value, date) else str(value).strip()


__all__ = ["DomainError", "PortfolioReport", "portfolio_import"]
