"""Navigation by role: a menu item is shown only when the permission module allows its action."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ridbook.accounts.permissions import Action, can

MENU: list[tuple[Any, str, Action]] = [
    (_("Мои задачи и сроки"), "web:home", Action.DEADLINES_VIEW),
    (_("Сроки"), "deadlines:list", Action.DEADLINES_VIEW),
    (_("Реестр РИД"), "registry:list", Action.RID_VIEW),
    (_("Комиссия по ИС"), "commission:index", Action.COMMISSION_VIEW),
    (_("Коммерческая тайна"), "tradesecret:register", Action.TRADE_SECRET_KEEP),
    (_("Организации"), "web:organizations", Action.ORGANIZATION_VIEW),
    (_("Политики"), "web:policies", Action.POLICY_VIEW),
    (_("Календарь"), "web:calendar", Action.DEADLINES_VIEW),
    (_("Пользователи"), "accounts:users", Action.ROLE_ASSIGN),
    (_("Журнал изменений"), "web:audit", Action.AUDIT_VIEW),
    (_("Журнал безопасности"), "security:events", Action.SECURITY_LOG_VIEW),
    (_("Доступ к коммерческой тайне"), "tradesecret:journal", Action.TRADE_SECRET_JOURNAL_VIEW),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"menu": []}
    current = request.path
    items = []
    for title, url_name, action in MENU:
        if can(user, action):
            url = reverse(url_name)
            active = current == url if url == "/" else current.startswith(url)
            items.append({"title": title, "url": url, "active": active})
    return {"menu": items}
