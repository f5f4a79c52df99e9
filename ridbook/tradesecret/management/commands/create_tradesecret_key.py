"""``manage.py create_tradesecret_key``: write a new Fernet key into ``RIDBOOK_TRADESECRET_KEY_FILE``.

``--if-missing`` (``make demo``): only when no key is configured at all (the demo's ``var/tradesecret.keys``).
``--add``: put a new key in front of the file's keys (then ``rotate_tradesecret_key``). ``--print``: only print one.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from ridbook.tradesecret import crypto


class Command(BaseCommand):
    help = "Создаёт ключ шифрования коммерческой тайны в файле ключей."  # i18n: ru-only (a command's help)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--if-missing", action="store_true")
        parser.add_argument("--add", action="store_true")
        parser.add_argument("--print", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["print"]:
            self.stdout.write(crypto.new_key())
            return
        if options["if_missing"] and crypto.configured_keys():
            return
        path = settings.RIDBOOK_TRADESECRET_KEY_FILE
        if not path:
            message = _("RIDBOOK_TRADESECRET_KEY_FILE не задан: ключ некуда записать.")
            if options["if_missing"]:  # ``make demo`` outside DEBUG: the demo know-how is skipped, nothing fails
                self.stderr.write(message)
                return
            raise CommandError(message)
        file = Path(path)
        existing = file.read_text(encoding="ascii") if file.exists() else ""
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(crypto.new_key() + "\n" + existing, encoding="ascii")
        os.chmod(file, 0o600)
        self.stdout.write(_("Ключ записан в %(path)s (новейший — первым).") % {"path": file})
