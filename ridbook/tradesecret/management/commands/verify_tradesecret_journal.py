"""``manage.py verify_tradesecret_journal [--anchors FILE]``: walk the access journal's hash chain; exit 1 at the first
broken link. With ``--anchors``, also check the chain against the heads written to FILE by earlier runs (a file kept
outside the database: «N HASH when» a line) and append today's head when the journal is whole."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from ridbook.tradesecret import journal


def _read(path: Path) -> list[journal.Anchor]:
    if not path.exists():
        return []
    anchors = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0].isdigit():
            anchors.append(journal.Anchor(int(parts[0]), parts[1]))
    return anchors


class Command(BaseCommand):
    help = "Проверяет цепочку хешей журнала учёта доступа к коммерческой тайне."  # i18n: ru-only (a command's help)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--anchors", type=Path, help="файл отметок вне базы данных")  # i18n: ru-only (help)

    def handle(self, *args: Any, **options: Any) -> None:
        broken = journal.verify()
        path: Path | None = options.get("anchors")
        if broken is None and path is not None:
            broken = journal.check_anchors(_read(path))
        if broken is not None:
            self.stderr.write(_("Цепочка нарушена. %(message)s") % {"message": broken.message})
            raise SystemExit(1)
        head = journal.head()
        if path is not None:
            with path.open("a", encoding="utf-8") as anchors:
                anchors.write(f"{head.entries} {head.hash} {timezone.now().isoformat()}\n")
        self.stdout.write(_("цепочка цела, %(count)s записей") % {"count": head.entries})
