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

**A window** (for a provider of many deadlines). The page «Сроки» and the API show one page of a filtered list; a
provider with thousands of deadlines may carry a ``window`` attribute, ``window(user, today, scope, query)`` →
:class:`Part`: its deadlines that pass ``query``'s filters, counted and the first ``query.limit`` in the list's
order, filtered, counted and sliced by its database rather than in Python — and the kinds and owners its
unfiltered list would offer the filters. It must give what the provider itself gives, filtered as
:func:`ridbook.deadlines.selectors.deadlines_filtered` filters; the reminders and the feed still call the provider.
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
    """The page's filters (see :mod:`ridbook.deadlines.selectors`) and how many items it needs (0: only the count)."""

    kind: str = ""
    owner: str = ""  # a user id, or "none"
    rid: str = ""
    since: date | None = None
    until: date | None = None
    state: str = ""
    limit: int = 0


@dataclass(frozen=True)
class Part:
    """A windowed provider's answer: ``count`` deadlines pass the filters; ``items``: the first ``limit`` of them in
    the list's order (or more, when several share the last one's date); ``kinds`` and ``owners``: what its unfiltered
    list offers the filters, as ``(source, label)`` and ``(user id, name)``."""

    count: int
    items: list[Deadline]
    kinds: set[tuple[str, str]] = field(default_factory=set)
    owners: set[tuple[str, str]] = field(default_factory=set)


Provider = Callable[..., Iterable[Deadline]]
_providers: dict[str, tuple[Provider, bool]] = {}


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


def deadlines_for(user: Any, today: date, scope: Scope | str = Scope.MINE, *, windowed: bool = True) -> list[Deadline]:
    """Every registered provider's deadlines for ``user`` in ``scope`` (one item per key), overdue first, then by due
    date. ``Scope.ORGANIZATION`` for a user who may oversee nothing is ``Scope.MINE``. A failing provider is logged,
    not fatal. ``windowed=False``: without the providers that have a window (the page asks them apart)."""
    scope = Scope(scope)
    if scope == Scope.ORGANIZATION and default_scope(user) != Scope.ORGANIZATION:
        scope = Scope.MINE
    items: dict[str, Deadline] = {}
    for name, (provider, takes_scope) in sorted(_providers.items()):
        if not windowed and window_of(provider) is not None:
            continue
        try:
            found = provider(user, today, scope=scope) if takes_scope else provider(user, today)
            for item in found:
                items.setdefault(item.key, item)
        except Exception:
            logger.exception("deadline provider %s failed", name)
    return sorted(items.values(), key=sort_key(today))


def window_of(provider: Provider) -> Callable[..., Part] | None:
    return getattr(provider, "window", None)


def windows_for(user: Any, today: date, scope: Scope | str, query: Query) -> list[Part]:
    """The parts of the providers that have a window (see the module's docstring); a failing one is logged."""
    scope = Scope(scope)
    if scope == Scope.ORGANIZATION and default_scope(user) != Scope.ORGANIZATION:
        scope = Scope.MINE
    parts = []
    for name, (provider, _takes_scope) in sorted(_providers.items()):
        window = window_of(provider)
        if window is None:
            continue
        try:
            parts.append(window(user, today, scope, query))
        except Exception:
            logger.exception("deadline provider %s failed", name)
    return parts


def window_part(
    qs: Any,
    query: Query,
    today: date,
    *,
    source: str,
    label: Any,
    build: Callable[[Any], Deadline],
    rid: str,
    due: str = "due",
    owner: str | None = None,
    owners: Callable[[Any], set[tuple[str, str]]] | None = None,
) -> Part:
    """A provider's window from a queryset of its objects, one open deadline each: ``due`` names the field (or
    annotation) that is the deadline's due date, ``rid`` the RID's number, ``owner`` the user who must act (``None``:
    every deadline is the role's); ``build`` makes the deadline of an object, ``owners`` the distinct owners of a
    queryset. ``query.limit`` 0: the count and what the filters may offer; else the first items (``count`` -1)."""
    kinds: set[tuple[str, str]] = set()
    found_owners: set[tuple[str, str]] = set()
    if query.limit == 0 and qs.exists():
        kinds = {(source, str(label))}
        found_owners = owners(qs) if owners is not None else set()
    if (query.kind and query.kind != source) or query.state == State.DONE.value:
        return Part(0, [], kinds, found_owners)
    if query.owner == "none":
        qs = qs.filter(**{f"{owner}__isnull": True}) if owner else qs
    elif query.owner:
        qs = qs.filter(**{f"{owner}_id": int(query.owner)}) if owner else qs.none()
    if query.rid:
        qs = qs.filter(**{f"{rid}__endswith": query.rid})
    if query.since:
        qs = qs.filter(**{f"{due}__gte": query.since})
    if query.until:
        qs = qs.filter(**{f"{due}__lte": query.until})
    soon = date.fromordinal(today.toordinal() + SOON_DAYS)
    if query.state == Urgency.OVERDUE.value:
        qs = qs.filter(**{f"{due}__lt": today})
    elif query.state == Urgency.SOON.value:
        qs = qs.filter(**{f"{due}__gte": today, f"{due}__lte": soon})
    elif query.state == Urgency.LATER.value:
        qs = qs.filter(**{f"{due}__gt": soon})
    if query.limit == 0:
        return Part(qs.count(), [], kinds, found_owners)
    rows = list(qs.order_by(due, "pk")[: query.limit])
    if len(rows) == query.limit:  # those due the same day as the last: the list orders them by title, not known here
        last = getattr(rows[-1], due)
        rows += list(qs.filter(**{due: last}).exclude(pk__in=[r.pk for r in rows]).order_by("pk"))
    return Part(-1, [build(row) for row in rows])


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
