"""A test provider of deadlines (registered for the test, unregistered after it) and the users it concerns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from ridbook.accounts.roles import Role
from ridbook.deadlines.registry import (
    Deadline,
    Owner,
    Scope,
    State,
    organization_ids_in_scope,
    register_provider,
    unregister_provider,
)


@dataclass
class Board:
    """The deadlines of the test provider: ``items`` may be changed by a test (the provider reads them each time)."""

    today: date
    items: list[Deadline]
    officer: Any
    author: Any
    secretary: Any
    outsider: Any  # the IP officer of the other tree (the holding)


def provide(board: Board) -> Any:
    def provider(user: Any, today: date, scope: str = Scope.MINE) -> Any:
        oversee = organization_ids_in_scope(user, scope) if scope == Scope.ORGANIZATION else set()
        for d in board.items:
            own = d.owner is not None and d.owner.user_id == user.pk
            of_his_role = d.owner is None and user.pk == board.officer.pk  # a deadline of the IP department's role
            overseen = oversee is None or (bool(oversee) and d.organization_id in oversee)
            if own or of_his_role or overseen:
                yield d

    return provider


@pytest.fixture
def board(personas, org_tree):
    from ridbook.testing.factories import persona

    today = timezone.localdate()
    officer, author = personas[Role.IP_OFFICER], personas[Role.AUTHOR]
    secretary = personas[Role.COMMISSION_SECRETARY]
    outsider = persona(Role.IP_OFFICER, org_tree["holding"], username="holding-ip")
    university, holding = org_tree["university"].pk, org_tree["holding"].pk
    items = [
        Deadline(
            title="Доработать уведомление",
            due=today - timedelta(days=2),
            rule="возвращено на доработку",
            source="test.notice",
            kind="доработка",
            key="test.notice:rid:5",
            owner=Owner.of(author),
            organization="ВУЗ",
            organization_id=university,
            rid_id=5,
            rid_number="РИД-2026-00005",
            url="/registry/5/",
        ),
        Deadline(
            title="Разослать уведомления о заседании",
            due=today + timedelta(days=3),
            rule="за 7 рабочих дней (ВГТУ 6.6)",
            source="test.meeting",
            kind="заседание",
            key="test.meeting:1",
            owner=Owner.of(secretary),
            organization_id=university,
        ),
        Deadline(
            title="Решение комиссии по РИД",
            due=today + timedelta(days=40),
            rule="2 мес. с подачи (ВГТУ 5.1.1)",
            source="test.notice",
            kind="доработка",
            key="test.decision:rid:7",
            organization_id=university,
            rid_id=7,
            rid_number="РИД-2026-00007",
        ),
        Deadline(
            title="Уже сделано",
            due=today - timedelta(days=5),
            rule="р",
            source="test.meeting",
            kind="заседание",
            key="test.done:1",
            owner=Owner.of(author),
            organization_id=university,
            state=State.DONE,
        ),
        Deadline(
            title="Срок холдинга",
            due=today - timedelta(days=1),
            rule="р",
            source="test.notice",
            kind="доработка",
            key="test.holding:1",
            owner=Owner.of(outsider),
            organization_id=holding,
        ),
    ]
    found = Board(today, items, officer, author, secretary, outsider)
    register_provider("test.board", provide(found))
    yield found
    unregister_provider("test.board")


def keys(items: Any) -> list[str]:
    return [d.key if isinstance(d, Deadline) else d["key"] for d in items]
