"""``manage.py verify_tradesecret_journal``: walk the access journal's hash chain; exit 1 at the first broken link."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from ridbook.tradesecret import journal
from ridbook.tradesecret.models import JournalEntry


class Command(BaseCommand):
    help = "Проверяет цепочку хешей журнала учёта доступа к коммерческой тайне."  # i18n: ru-only (a command's help)

    def handle(self, *args: Any, **options: Any) -> None:
        broken = journal.verify()
        if broken is not None:
            self.stderr.write(_("Цепочка нарушена. %(message)s") % {"message": broken.message})
            raise SystemExit(1)
        count = JournalEntry.objects.count()
        self.stdout.write(_("цепочка цела, %(count)s записей") % {"count": count})
