"""«Мои задачи и сроки» and «Сроки»: one list of every module's deadlines.

The platform never imports a domain app. Domain apps register a provider in their ``AppConfig.ready``::

    register_provider("commission.decision", commission_decision_deadlines)

A provider takes ``(user, today)`` — or ``(user, today, scope)`` — and returns the :class:`Deadline` items computed
from the current state (nothing is stored; keep a provider cheap: it runs on every page of deadlines).

**Scope.** ``Scope.MINE`` (the default): what the user himself must do — by name (``owner`` is he) or by his role
(``owner`` is ``None``: «the IP department», «the secretary»). ``Scope.ORGANIZATION``: besides, every deadline of the
organizations where he may :data:`~ridbook.accounts.permissions.Action.DEADLINES_OVERSEE` (the IP officer and the
head of the IP department: the author's returned notice, the expert's opinion, a member's meeting, whoever owns
it); never anything of another tree. A provider that does not take ``scope`` gives the same items in both.

**Identity.** ``key`` names the deadline, not its date (``"registry.decision:rid:5"``): the due date may move, the
key stays; the ICS feed's UID and the reminders' event keys are made of it, so a provider must set it (the fallback,
``source`` and ``url``, is unique only when the provider has one deadline per object).

**Stored providers** (of many deadlines: fees, upkeep, the docket). Such a provider also registers a
:class:`Stored`: how to list its objects and build each one's :class:`Row` as of a day. Its deadlines are kept in
:class:`~ridbook.deadlines.models.StoredDeadline` (:mod:`ridbook.deadlines.store`): the daily job refreshes them all,
and every write that changes a deadline's inputs refreshes its object's rows in its own transaction. The page, the API,
the feed and the reminders read the rows (filtered, ordered and paged by the database); the function registered with
:func:`register_provider` is what the rows must equal (the tests compare them). Who sees a stored row: its named owner;
an ownerless row, whoever may do one of ``Stored.actions`` in its organization; in ``Scope.ORGANIZATION`` (when
``Stored.scoped``) also whoever may do them or oversee deadlines there.
"""

from __future__ import annotations

import inspect
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


class State(StrEnum):
    OPEN = "open"
    DONE = "done"


class Scope(StrEnum):
    MINE = "mine"
    ORGANIZATION = "organization"


URGENCY_LABELS = {Urgency.OVERDUE: _("просрочено"), Urgency.SOON: _("скоро"), Urgency.LATER: _("в плане")}
STATE_LABELS = {State.OPEN: _("открыт"), State.DONE: _("выполнено")}
SCOPE_LABELS = {Scope.MINE: _("мои"), Scope.ORGANIZATION: _("все в моих организациях")}
SOON_DAYS = 7


@dataclass(frozen=True)
class Owner:
    """Who must act, by name: a user."""

    user_id: int
    name: str

    @classmethod
    def of(cls, user: Any) -> Owner | None:
        if user is None:
            return None
        return cls(user.pk, getattr(user, "full_name", "") or str(user))


@dataclass(frozen=True)
class Deadline:
    title: str
    due: date
    rule: str  # the rule and its source, e.g. «решение комиссии — 2 месяца с подачи (ВГТУ 5.1.1)»
    source: str  # the provider's code of the kind, e.g. "registry.decision"
    url: str = ""
    organization: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    key: str = ""  # stable identity, e.g. "registry.decision:rid:5" (see the module's docstring)
    kind: str = ""  # the kind in words («решение комиссии»); the source when empty
    owner: Owner | None = None  # who must act, by name; None: whoever holds the role (the department)
    organization_id: int | None = None  # whose deadline it is: the escalation goes to its head of the IP department
    rid_id: int | None = None
    rid_number: str = ""
    state: State = State.OPEN
    # False for a task without a term of its own (its «due» is the day it arose: a returned notice to revise, a filing
    # to start): it is listed and reminded, but not escalated as overdue
    escalate: bool = True

    def __post_init__(self) -> None:
        if not self.key:
            object.__setattr__(self, "key", f"{self.source}:{self.url or self.title}")
        if not self.kind:
            object.__setattr__(self, "kind", self.source)

    def urgency(self, today: date) -> Urgency:
        if self.due < today:
            return Urgency.OVERDUE
        if (self.due - today).days <= SOON_DAYS:
            return Urgency.SOON
        return Urgency.LATER

    def is_open(self) -> bool:
        return self.state == State.OPEN

    def status(self, today: date) -> str:
        """«done», or the urgency of an open deadline: what the page's «состояние» filter compares."""
        return State.DONE.value if not self.is_open() else self.urgency(today).value


@dataclass(frozen=True)
class Query:
    """The page's filters (see :mod:`ridbook.deadlines.selectors`)."""

    kind: str = ""
    owner: str = ""  # a user id, or "none"
    rid: str = ""
    since: date | None = None
    until: date | None = None
    state: str = ""


Provider = Callable[..., Iterable[Deadline]]
_providers: dict[str, tuple[Provider, bool]] = {}


@dataclass(frozen=True)
class Row:
    """A stored provider's deadline of one object: ``anchor`` names the object whose rows are refreshed together (a
    document, an application), ``seq`` orders the provider's deadlines due the same day as the provider does."""

    anchor: int
    seq: int
    deadline: Deadline


@dataclass(frozen=True)
class Stored:
    """How a provider's deadlines are stored (see the module's docstring). ``objects(today, anchors)``: the objects
    whose deadlines exist on ``today`` (``anchors``: only of these objects; ``None``: all), read in chunks;
    ``build(obj, today)``: the rows of one object (built once per language). ``actions``: an ownerless deadline is
    for whoever may do one of them in its organization; ``scoped``: the provider takes ``scope`` (in
    ``Scope.ORGANIZATION`` the overseers see every row of their organizations)."""

    label: Any  # the kind in words, for the filter's choices
    objects: Callable[[date, list[int] | None], Iterable[Any]]
    build: Callable[[Any, date], Iterable[Row]]
    actions: tuple[Any, ...]
    scoped: bool = False


_stored: dict[str, Stored] = {}


def register_stored(name: str, provider: Provider, stored: Stored) -> None:
    """A provider of many deadlines: ``provider`` computes them (what the stored rows must equal), ``stored`` says how
    they are stored and who sees them."""
    register_provider(name, provider)
    _stored[name] = stored


def stored_providers() -> dict[str, Stored]:
    return dict(_stored)


def _takes_scope(provider: Provider) -> bool:
    try:
        parameters = inspect.signature(provider).parameters
    except (TypeError, ValueError):
        return False
    return "scope" in parameters or any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values())


def register_provider(name: str, provider: Provider) -> None:
    _providers[name] = (provider, _takes_scope(provider))


def unregister_provider(name: str) -> None:
    _providers.pop(name, None)
    _stored.pop(name, None)


def provider_names() -> list[str]:
    return sorted(_providers)


def default_scope(user: Any) -> Scope:
    """The IP department (who may oversee deadlines somewhere) sees its organizations'; everyone else his own."""
    from ridbook.accounts.permissions import Action, organization_ids_for

    oversees = organization_ids_for(user, Action.DEADLINES_OVERSEE)
    return Scope.ORGANIZATION if oversees is None or oversees else Scope.MINE


def sort_key(today: date) -> Callable[[Deadline], tuple[int, date, str]]:
    """Overdue first, then by due date; what is done last."""
    return lambda d: (0 if d.is_open() and d.due < today else 1 if d.is_open() else 2, d.due, str(d.title))


def deadlines_for(
    user: Any, today: date, scope: Scope | str = Scope.MINE, *, stored: bool = True, computed: bool = False
) -> list[Deadline]:
    """Every registered provider's deadlines for ``user`` in ``scope`` (one item per key), overdue first, then by due
    date. ``Scope.ORGANIZATION`` for a user who may oversee nothing is ``Scope.MINE``. A failing provider is logged,
    not fatal. A stored provider's deadlines are read from its rows (``stored=False``: left out, the page reads them
    apart); ``computed=True``: computed by its function instead (what the rows must equal)."""
    scope = effective_scope(user, scope)
    items: dict[str, Deadline] = {}
    for name, (provider, takes_scope) in sorted(_providers.items()):
        if name in _stored and not computed:
            continue
        try:
            found = provider(user, today, scope=scope) if takes_scope else provider(user, today)
            for item in found:
                items.setdefault(item.key, item)
        except Exception:
            logger.exception("deadline provider %s failed", name)
    if stored and not computed and _stored:
        from ridbook.deadlines.store import stored_deadlines

        for item in stored_deadlines(user, today, scope):
            items.setdefault(item.key, item)
    return sorted(items.values(), key=sort_key(today))


def effective_scope(user: Any, scope: Scope | str) -> Scope:
    """``Scope.ORGANIZATION`` for a user who may oversee nothing is ``Scope.MINE``."""
    scope = Scope(scope)
    if scope == Scope.ORGANIZATION and default_scope(user) != Scope.ORGANIZATION:
        return Scope.MINE
    return scope


def organization_ids_in_scope(user: Any, scope: Scope | str, *actions: Any) -> set[int] | None:
    """The organizations whose deadlines of a kind reach ``user``: where his role must act (``actions``) and, in
    ``Scope.ORGANIZATION``, where he oversees deadlines. ``None``: everywhere (a superuser)."""
    from ridbook.accounts.permissions import Action, organization_ids_for

    wanted = list(actions) + ([Action.DEADLINES_OVERSEE] if Scope(scope) == Scope.ORGANIZATION else [])
    found: set[int] = set()
    for action in wanted:
        ids = organization_ids_for(user, action)
        if ids is None:
            return None
        found |= ids
    return found


def in_scope(queryset: Any, ids: set[int] | None, field: str = "organization_id") -> Any:
    """``queryset`` narrowed to the organizations ``ids`` (see :func:`organization_ids_in_scope`)."""
    if ids is None:
        return queryset
    if not ids:
        return queryset.none()
    return queryset.filter(**{f"{field}__in": ids})
