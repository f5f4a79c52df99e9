"""Who is acting: a request's user, or a named job/command. Audit never depends on a request being present."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_noop


@dataclass(frozen=True)
class Actor:
    user: Any | None  # accounts.User; Any keeps the platform free of an import cycle
    label: str

    @classmethod
    def system(cls, label: str) -> Actor:
        return cls(user=None, label=label)


_current: ContextVar[Actor | None] = ContextVar("ridbook_actor", default=None)
# a job's or a command's name is stored in Russian and shown translated (``presentation.shown_label``)
UNNAMED = Actor.system(gettext_noop("система (исполнитель не указан)"))


def current_actor() -> Actor:
    return _current.get() or UNNAMED


@contextlib.contextmanager
def acting_as(who: Any) -> Iterator[Actor]:
    """``with acting_as(user)`` or ``with acting_as("команда load_demo")``: every change inside is signed."""
    actor = (
        who
        if isinstance(who, Actor)
        else (Actor.system(who) if isinstance(who, str) else Actor(user=who, label=who.get_username()))
    )
    token = _current.set(actor)
    try:
        yield actor
    finally:
        _current.reset(token)
