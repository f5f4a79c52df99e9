"""``manage.py check_policies [--dir DIR]``: validate the policy files; exit code 1 on any problem."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ridbook.policies.loader import PolicyError, load_policies


class Command(BaseCommand):
    help = _("Проверяет файлы политик: одна строка на политику или по строке на каждую ошибку.")  # type: ignore[assignment]

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dir", type=Path, default=None, help=gettext("другой каталог с политиками (по умолчанию — пакет)")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            policies = load_policies(options["dir"])
        except PolicyError as exc:
            for problem in exc.problems:
                self.stderr.write(problem)
            raise SystemExit(1) from None
        for name in policies.names():
            for policy in policies.versions(name):
                unverified = len(policy.unverified())
                flag = _("  (непроверенных значений: %(n)s)") % {"n": unverified} if unverified else ""
                since = _("с %(date)s") % {"date": format(policy.meta.effective_from, "%d.%m.%Y")}
                self.stdout.write(f"{policy.ref:<16} {since}  {policy.meta.title}{flag}")
