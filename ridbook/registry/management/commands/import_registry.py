"""``manage.py import_registry FILE --organization ID [--dry-run] [--skip-bad-rows] [--as-user USERNAME]``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from ridbook.accounts.models import User
from ridbook.core.errors import DomainError
from ridbook.organizations.models import Organization
from ridbook.registry.io import registry_import


class Command(BaseCommand):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # set here, not on the class: argparse needs a str, and the message is read in the active language
        self.help = _(
            "Импортирует реестр РИД из XLSX или CSV: выгрузку ridbook или открытый реестр ФИПС (программы для ЭВМ, "
            "изобретения, полезные модели, промышленные образцы). "
            "Печатает отчёт; при ошибках в строках ничего не записывает (или пропускает их с --skip-bad-rows)."
        )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--organization", type=int, required=True, help=_("id организации, куда импортировать"))
        parser.add_argument("--dry-run", action="store_true", help=_("только проверить, ничего не записывать"))
        parser.add_argument(
            "--skip-bad-rows", action="store_true", help=_("записать хорошие строки, плохие пропустить")
        )
        parser.add_argument("--as-user", help=_("от имени пользователя (нужна роль специалиста по ИС в организации)"))

    def handle(self, *args: Any, **options: Any) -> None:
        organization = Organization.objects.filter(pk=options["organization"]).first()
        if organization is None:
            raise CommandError(
                _("Организация с id %(organization)s не найдена.") % {"organization": options["organization"]}
            )
        actor: Any = "команда import_registry"  # i18n: ru-only (the actor named in the change log)
        if options["as_user"]:
            actor = User.objects.filter(username=options["as_user"]).first()
            if actor is None:
                raise CommandError(_("Пользователь «%(as_user)s» не найден.") % {"as_user": options["as_user"]})
        try:
            report = registry_import(
                options["file"],
                actor=actor,
                organization=organization,
                dry_run=options["dry_run"],
                skip_bad_rows=options["skip_bad_rows"],
            )
        except OSError as exc:
            raise CommandError(
                _("Файл %(file)s не открывается: %(strerror)s.") % {"file": options["file"], "strerror": exc.strerror}
            ) from None
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(report.text(max_warnings=20 if options["verbosity"] < 2 else len(report.warnings)))
        self.stdout.write(_("Время: %(seconds)s с.") % {"seconds": f"{report.seconds:.1f}"})
        if not report.ok and not (report.written and report.skip_bad_rows):
            raise CommandError(_("Импорт не выполнен.") if not options["dry_run"] else _("В файле есть ошибки."))
