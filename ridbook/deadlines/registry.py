"""«Мои задачи и сроки»: one list of every module's deadlines.

The platform never imports a domain app. Domain apps register a provider in their ``AppConfig.ready``::

    register_provider("commission.decision", commission_decision_deadlines)

A provider takes ``(user, today)`` and returns the :class:`Deadline` items that concern that user.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext_lazy as _

logger = logging.getLogger("ridbook.deadlines")


class Urgency(StrEnum):
    OVERDUE = "overdue"
    SOON = "soon"
    LATER = "later"


URGENCY_LABELS = {Urgency.OVERDUE: _("просрочено"), Urgency.SOON: _("скоро"), Urgency.LATER: _("в плане")}
SOON_DAYS = 7


@dataclass(frozen=True)
class Deadline:
    title: str
    due: date
    rule: str  # the rule and its source, e.g. «решение комиссии — 2 месяца с подачи (ВГТУ 5.1.1)»
    source: str  # the provider's name
    url: str = ""
    organization: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def urgency(self, today: date) -> Urgency:
        if self.due < today:
            return Urgency.OVERDUE
        if (self.due - today).days <= SOON_DAYS:
            return Urgency.SOON
        return Urgency.LATER


Provider = Callable[[Any, date], Iterable[Deadline]]
_providers: dict[str, Provider] = {}


def register_provider(name: str, provider: Provider) -> None:
    _providers[name] = provider


def unregister_provider(name: str) -> None:
    _providers.pop(name, None)


def provider_names() -> list[str]:
    return sorted(_providers)


def deadlines_for(user: Any, today: date) -> list[Deadline]:
    """Every registered provider's deadlines for ``user``, soonest first. A failing provider is logged, not fatal."""
    items: list[Deadline] = []
    for name, provider in sorted(_providers.items()):
        try:
            items.extend(provider(user, today))
        except Exception:
            logger.exception("deadline provider %s failed", name)
    return sorted(items, key=lambda d: (d.due, d.title))
