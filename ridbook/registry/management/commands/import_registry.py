"""``manage.py import_registry FILE --organization ID [--dry-run] [--skip-bad-rows] [--as-user USERNAME]``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ridbook.accounts.models import User
from ridbook.core.errors import DomainError
from ridbook.organizations.models import Organization
from ridbook.registry.io import registry_import


class Command(BaseCommand):
    help = (
        "Импортирует реестр РИД из XLSX или CSV: выгрузку ridbook или открытый реестр ФИПС (программы для ЭВМ, "
        "изобретения, полезные модели, промышленные образцы). "
        "Печатает отчёт; при ошибках в строках ничего не записывает (или пропускает их с --skip-bad-rows)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--organization", type=int, required=True, help="id организации, куда импортировать")
        parser.add_argument("--dry-run", action="store_true", help="только проверить, ничего не записывать")
        parser.add_argument("--skip-bad-rows", action="store_true", help="записать хорошие строки, плохие пропустить")
        parser.add_argument("--as-user", help="от имени пользователя (нужна роль специалиста по ИС в организации)")

    def handle(self, *args: Any, **options: Any) -> None:
        organization = Organization.objects.filter(pk=options["organization"]).first()
        if organization is None:
            raise CommandError(f"Организация с id {options['organization']} не найдена.")
        actor: Any = "команда import_registry"
        if options["as_user"]:
            actor = User.objects.filter(username=options["as_user"]).first()
            if actor is None:
                raise CommandError(f"Пользователь «{options['as_user']}» не найден.")
        try:
            report = registry_import(
                options["file"],
                actor=actor,
                organization=organization,
                dry_run=options["dry_run"],
                skip_bad_rows=options["skip_bad_rows"],
            )
        except OSError as exc:
            raise CommandError(f"Файл {options['file']} не открывается: {exc.strerror}.") from None
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(report.text(max_warnings=20 if options["verbosity"] < 2 else len(report.warnings)))
        self.stdout.write(f"Время: {report.seconds:.1f} с.")
        if not report.ok and not (report.written and report.skip_bad_rows):
            raise CommandError("Импорт не выполнен." if not options["dry_run"] else "В файле есть ошибки.")
