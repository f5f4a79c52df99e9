from typing import Any

from django.core.management.base import BaseCommand

from ridbook.accounts.roles import Role
from ridbook.demo.data import DEMO_PASSWORD, USERS
from ridbook.demo.services import demo_load


class Command(BaseCommand):
    help = "Загружает демонстрационные данные (повторный запуск ничего не дублирует) и печатает логины."

    def handle(self, *args: Any, **options: Any) -> None:
        created = demo_load()
        self.stdout.write(
            f"Демо-данные: новых организаций {created['organizations']}, пользователей {created['users']}, "
            f"ролей {created['roles']}, РИД {created['rids']}, комиссий {created['commissions']}."
        )
        self.stdout.write(f"Пользователи (пароль у всех: {DEMO_PASSWORD}):")
        for login, last, first, _middle, role, org_key in USERS:
            self.stdout.write(f"  {login:<15} {Role(role).label} ({org_key}) — {last} {first}")
