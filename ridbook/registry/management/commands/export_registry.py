"""``manage.py export_registry --format xlsx|csv --output FILE [--organization ID] [--as-user USERNAME]``."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ridbook.accounts.models import User
from ridbook.organizations.models import Organization
from ridbook.organizations.selectors import descendant_ids
from ridbook.registry.io import export_csv, export_xlsx
from ridbook.registry.models import Rid
from ridbook.registry.selectors import rids_visible_to


class Command(BaseCommand):
    help = (
        "Выгружает реестр РИД в XLSX или CSV (UTF-8 с BOM, разделитель «;» — открывается русским Excel). "
        "Без --as-user выгружается весь реестр (или поддерево --organization)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=["xlsx", "csv"], required=True)
        parser.add_argument("--output", required=True, help="путь к файлу")
        parser.add_argument("--organization", type=int, help="id организации: её РИД и РИД её подразделений")
        parser.add_argument("--as-user", help="выгрузить только то, что видит этот пользователь")

    def handle(self, *args: Any, **options: Any) -> None:
        queryset = Rid.objects.all()
        if options["as_user"]:
            user = User.objects.filter(username=options["as_user"]).first()
            if user is None:
                raise CommandError(f"Пользователь «{options['as_user']}» не найден.")
            queryset = rids_visible_to(user)
        if options["organization"] is not None:
            if not Organization.objects.filter(pk=options["organization"]).exists():
                raise CommandError(f"Организация с id {options['organization']} не найдена.")
            queryset = queryset.filter(organization_id__in=descendant_ids({options["organization"]}))
        started = time.monotonic()
        try:
            if options["format"] == "xlsx":
                count = export_xlsx(queryset, options["output"])
            else:
                with open(options["output"], "wb") as stream:
                    count = export_csv(queryset, stream)
        except OSError as exc:
            raise CommandError(f"Файл {options['output']} не записан: {exc.strerror}.") from None
        seconds = time.monotonic() - started
        self.stdout.write(f"Выгружено РИД: {count} в {options['output']} за {seconds:.1f} с.")
