"""What an import found and did, in Russian: every bad row (row as Excel numbers it, column, reason), warnings."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Self

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ridbook.registry.io.columns import column_label
from ridbook.registry.paging import grouped

OWN, FIPS = "own", "fips"
FIPS_INVENTIONS, FIPS_UTILITY_MODELS, FIPS_INDUSTRIAL_DESIGNS = "fips_inventions", "fips_utility_models", "fips_designs"
FORMAT_LABELS = {
    OWN: gettext_lazy("выгрузка реестра РИД"),
    FIPS: gettext_lazy("открытый реестр программ для ЭВМ (ФИПС)"),
    FIPS_INVENTIONS: gettext_lazy("открытый реестр изобретений (ФИПС)"),
    FIPS_UTILITY_MODELS: gettext_lazy("открытый реестр полезных моделей (ФИПС)"),
    FIPS_INDUSTRIAL_DESIGNS: gettext_lazy("открытый реестр промышленных образцов (ФИПС)"),
}


@dataclass(frozen=True)
class Problem:
    row: int | None  # None: the file as a whole
    column: str
    message: str

    @property
    def column_label(self) -> str:
        """The column as the page names it (the file's header, matched in Russian, translated for the reader)."""
        return column_label(self.column)

    def __str__(self) -> str:
        row = _("строка %(row)s") % {"row": self.row} if self.row else ""
        column = _("столбец «%(column)s»") % {"column": self.column_label} if self.column else ""
        where = ", ".join(p for p in (row, column) if p)
        return f"{where[:1].upper()}{where[1:]}: {self.message}" if where else self.message


WARNINGS_KEPT = 1000  # a million-row file can warn a million times: the report keeps these and counts the rest


class Problems(list[Problem]):
    """A list of problems that keeps the first ``limit`` and only counts those after (``total``): the memory of an
    import and the size of its report stay flat however many rows are bad or warn. A problem of the file as a whole
    (``row`` None: there are a few at most) is always kept."""

    def __init__(self, limit: int | None = None) -> None:
        super().__init__()
        self.limit, self.dropped = WARNINGS_KEPT if limit is None else limit, 0

    def append(self, problem: Problem) -> None:
        if len(self) < self.limit or problem.row is None:
            super().append(problem)
        else:
            self.dropped += 1

    def extend(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            self.append(problem)

    def __iadd__(self, problems: Iterable[Problem]) -> Self:  # type: ignore[override,misc]
        self.extend(problems)
        return self

    @property
    def total(self) -> int:
        return len(self) + self.dropped


@dataclass
class ImportReport:
    filename: str
    dry_run: bool
    skip_bad_rows: bool
    format: str = ""
    rows: int = 0  # data rows read (empty rows are skipped silently)
    good_rows: int = 0
    rids: int = 0  # RIDs created (in a dry run, or when nothing was written: that would be created)
    people_created: int = 0
    people_matched: int = 0
    already_registered: int = 0  # rows of registrations the registry has (skipped, with a warning each)
    bad_rows: int = 0  # rows with errors (all of them: ``errors`` keeps the first ``RIDBOOK_IMPORT_ERRORS_KEPT``)
    written: bool = False
    seconds: float = 0.0
    errors: Problems = field(default_factory=lambda: Problems(settings.RIDBOOK_IMPORT_ERRORS_KEPT))
    warnings: Problems = field(default_factory=Problems)

    @property
    def warnings_total(self) -> int:
        return self.warnings.total

    @property
    def errors_total(self) -> int:
        return self.errors.total

    @property
    def file_errors(self) -> list[Problem]:
        return [p for p in self.errors if p.row is None]

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        label = FORMAT_LABELS.get(self.format, _("формат не распознан"))
        lines = [
            _("Файл «%(filename)s»: %(format)s. Строк с данными: %(rows)s, с ошибками: %(bad)s.")
            % {"filename": self.filename, "format": label, "rows": self.rows, "bad": self.bad_rows}
        ]
        numbers = {"rids": self.rids, "people": self.people_created, "matched": self.people_matched}
        if self.written:
            counts = _("РИД создано: %(rids)s; новых людей: %(people)s; авторов найдено в реестре: %(matched)s.")
        else:
            counts = _("РИД будет создано: %(rids)s; новых людей: %(people)s; авторов найдено в реестре: %(matched)s.")
        counts %= numbers
        if self.already_registered:
            counts += " " + _("Уже были в реестре и пропущены: %(count)s.") % {"count": self.already_registered}
        if self.dry_run and not self.file_errors:
            lines.append(_("Проверка без записи: в базу ничего не записано.") + " " + counts)
        elif self.written:
            skipped = (
                " " + _("Строки с ошибками пропущены: %(count)s.") % {"count": self.bad_rows} if self.bad_rows else ""
            )
            lines.append(_("Импорт выполнен.") + " " + counts + skipped)
        elif self.file_errors:
            lines.append(_("Ничего не записано: файл не прочитан."))
        elif self.errors and self.skip_bad_rows:
            lines.append(_("Ничего не записано: хороших строк нет."))
        elif self.errors:
            lines.append(
                _(
                    "Ничего не записано: строк с ошибками %(count)s. Исправьте их или запустите импорт "
                    "с пропуском строк с ошибками."
                )
                % {"count": self.bad_rows}
            )
        else:
            lines.append(_("Ничего не записано: в файле нет строк с данными."))
        return "\n".join(lines)

    def text(self, max_warnings: int = 20) -> str:
        lines = [self.summary()]
        if self.errors:
            lines.append(_("Ошибки:"))
            lines += [f"  {p}" for p in self.errors]
            if self.errors.dropped:
                lines.append(f"  {not_shown(self.errors.dropped)}")
        if self.warnings:
            lines.append(_("Предупреждения:"))
            shown = self.warnings[:max_warnings]
            lines += [f"  {p}" for p in shown]
            if self.warnings_total > len(shown):
                lines.append("  " + _("… и ещё %(count)s.") % {"count": self.warnings_total - len(shown)})
        return "\n".join(lines)


def not_shown(count: int) -> str:
    """«… и ещё 1 999 000 ошибок не показаны» (the number grouped as Russian text does; the Russian plural forms are
    in the registry's Russian catalog)."""
    return ngettext("… и ещё %(count)s ошибка не показана.", "… и ещё %(count)s ошибки не показаны.", count) % {
        "count": grouped(count)
    }
