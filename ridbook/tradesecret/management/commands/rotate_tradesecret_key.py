"""``manage.py rotate_tradesecret_key``: re-encrypt every sealed content and file with the newest key.

Rotation: put a new key first (``manage.py create_tradesecret_key --add`` for the key file, or in front of
``RIDBOOK_TRADESECRET_KEYS``), run this command, then remove the old key."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from ridbook.tradesecret import sealing


class Command(BaseCommand):
    help = "Перешифровывает содержание и файлы коммерческой тайны новейшим ключом."  # i18n: ru-only (a command's help)

    def handle(self, *args: Any, **options: Any) -> None:
        records, files = sealing.rotate_all()
        self.stdout.write(
            _("Перешифровано новейшим ключом: записей содержания %(records)s, файлов %(files)s.")
            % {"records": records, "files": files}
        )
