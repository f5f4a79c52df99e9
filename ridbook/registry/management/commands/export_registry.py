"""``manage.py export_registry --format xlsx|csv --output FILE [--organization ID] [--as-user USERNAME]``."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from ridbook.accounts.models import User
from ridbook.organizations.models import Organization
from ridbook.organizations.selectors import descendant_ids
from ridbook.registry.io import export_csv, export_xlsx
from ridbook.registry.models import Rid
from ridbook.registry.selectors import rids_visible_to


class Command(BaseCommand):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # set here, not on the class: argparse needs a str, and the message is read in the active language
        self.help = _(
            "Выгружает реестр РИД в XLSX или CSV (UTF-8 с BOM, разделитель «;» — открывается русским Excel). "
            "Без --as-user выгружается весь реестр (или поддерево --organization)."
        )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=["xlsx", "csv"], required=True)
        parser.add_argument("--output", required=True, help=_("путь к файлу"))
        parser.add_argument("--organization", type=int, help=_("id организации: её РИД и РИД её подразделений"))
        parser.add_argument("--as-user", help=_("выгрузить только то, что видит этот пользователь"))

    def handle(self, *args: Any, **options: Any) -> None:
        queryset = Rid.objects.all()
        if options["as_user"]:
            user = User.objects.filter(username=options["as_user"]).first()
            if user is None:
                raise CommandError(_("Пользователь «%(as_user)s» не найден.") % {"as_user": options["as_user"]})
            queryset = rids_visible_to(user)
        if options["organization"] is not None:
            if not Organization.objects.filter(pk=options["organization"]).exists():
                raise CommandError(
                    _("Организация с id %(organization)s не найдена.") % {"organization": options["organization"]}
                )
            queryset = queryset.filter(organization_id__in=descendant_ids({options["organization"]}))
        started = time.monotonic()
        try:
            if options["format"] == "xlsx":
                count = export_xlsx(queryset, options["output"])
            else:
                with open(options["output"], "wb") as stream:
                    count = export_csv(queryset, stream)
        except OSError as exc:
            raise CommandError(
                _("Файл %(output)s не записан: %(strerror)s.") % {"output": options["output"], "strerror": exc.strerror}
            ) from None
        seconds = time.monotonic() - started
        self.stdout.write(
            _("Выгружено РИД: %(count)s в %(output)s за %(seconds)s с.")
            % {"count": count, "output": options["output"], "seconds": f"{seconds:.1f}"}
        )
