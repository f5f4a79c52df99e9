"""The page «Сроки» and the API's ``/deadlines/``: every deadline the user may see, filtered, overdue first.

Filters (the same on the page and in the API): ``kind`` (the provider's code, ``Deadline.source``), ``owner`` (a
user id, or ``none`` for deadlines of a role rather than a person), ``rid`` (a RID's number, or its tail: «00005»),
``since``/``until`` (due dates, inclusive), ``state`` (``overdue``, ``soon``, ``later``, ``done``), ``scope``
(``mine``; ``organization``, the default of whoever may oversee deadlines).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, overload

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ridbook.core.errors import DomainError
from ridbook.deadlines import store
from ridbook.deadlines.registry import (
    SCOPE_LABELS,
    STATE_LABELS,
    URGENCY_LABELS,
    Deadline,
    Owner,
    Query,
    Scope,
    State,
    Urgency,
    deadlines_for,
    default_scope,
    sort_key,
    stored_providers,
)

DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]
STATE_CHOICES = [
    ("", _("любое")),
    *((u.value, URGENCY_LABELS[u]) for u in Urgency),
    (State.DONE.value, STATE_LABELS[State.DONE]),
]


class DeadlineFilterForm(forms.Form):
    scope = forms.ChoiceField(label=_("Чьи"), required=False, choices=[(s.value, SCOPE_LABELS[s]) for s in Scope])
    kind = forms.CharField(label=_("Вид"), required=False, max_length=100)
    owner = forms.CharField(label=_("Ответственный"), required=False, max_length=20)
    rid = forms.CharField(label=_("РИД (номер)"), required=False, max_length=30)
    since = forms.DateField(label=_("Срок с"), required=False, input_formats=DATE_FORMATS)
    until = forms.DateField(label=_("Срок по"), required=False, input_formats=DATE_FORMATS)
    state = forms.ChoiceField(label=_("Состояние"), required=False, choices=STATE_CHOICES)

    def clean_owner(self) -> str:
        value = self.cleaned_data.get("owner") or ""
        if value and value != "none" and not (value.isdigit() and 0 < int(value) < 2**31):
            raise forms.ValidationError(_("Ответственный: id пользователя или «none»."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise forms.ValidationError(_("Начало периода позже его конца."))
        return data


def filter_error(form: DeadlineFilterForm) -> DomainError:
    """The filters' errors as one domain error (the API's 400)."""
    fields = {name: " ".join(str(e) for e in errors) for name, errors in form.errors.items()}
    return DomainError(
        gettext("Неверные условия отбора: %(errors)s") % {"errors": "; ".join(fields.values())},
        code="invalid",
        details={"fields": fields},
    )


class DeadlineList(Sequence[Deadline]):
    """The filtered list, read lazily: the deadlines of the computed providers (few, filtered here) and ``count``
    stored ones, whose first ``n`` ``fetch(n)`` reads from the database. A slice (a page) asks for no more than its
    end; iterating reads the whole list."""

    def __init__(self, static: list[Deadline], count: int, fetch: Callable[[int], list[Deadline]], today: date) -> None:
        self._static, self._count, self._fetch, self._today = static, count, fetch, today
        self._read: list[Deadline] = []
        self._read_to = -1

    def __len__(self) -> int:
        return len(self._static) + self._count

    def _first(self, n: int) -> list[Deadline]:
        if n > self._read_to:
            fetched = self._fetch(n) if self._count and n > 0 else []
            self._read = sorted([*fetched, *self._static], key=sort_key(self._today))[:n]
            self._read_to = n
        return self._read[:n]

    @overload
    def __getitem__(self, index: int) -> Deadline: ...

    @overload
    def __getitem__(self, index: slice) -> list[Deadline]: ...

    def __getitem__(self, index: int | slice) -> Deadline | list[Deadline]:
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            return self._first(stop)[start:stop:step]
        position = index + len(self) if index < 0 else index
        if not 0 <= position < len(self):
            raise IndexError(index)
        return self._first(position + 1)[position]

    def __iter__(self) -> Iterator[Deadline]:
        return iter(self._first(len(self)))


@dataclass(frozen=True)
class Filtered:
    """The deadlines after the filters, and what the filters may offer (from the unfiltered list)."""

    items: Sequence[Deadline]  # a DeadlineList: one page of it is read at a time
    scope: Scope
    may_oversee: bool
    kinds: list[tuple[str, str]]  # (source, label)
    owners: list[tuple[str, str]]  # (user id, name)


def deadlines_filtered(user: Any, today: date, params: dict[str, Any]) -> Filtered:
    """``params``: the cleaned data of :class:`DeadlineFilterForm`. The stored deadlines are filtered, counted,
    ordered and paged by the database (:mod:`ridbook.deadlines.store`); the computed ones here."""
    may_oversee = default_scope(user) == Scope.ORGANIZATION
    scope = Scope(params.get("scope") or (Scope.ORGANIZATION if may_oversee else Scope.MINE))
    if not may_oversee:
        scope = Scope.MINE
    every = deadlines_for(user, today, scope, stored=False)
    query = Query(
        kind=params.get("kind") or "",
        owner=params.get("owner") or "",
        rid=(params.get("rid") or "").strip(),
        since=params.get("since"),
        until=params.get("until"),
        state=params.get("state") or "",
    )
    rows = store.rows_visible(user, today, scope)
    labels = {name: str(stored.label) for name, stored in stored_providers().items()}
    groups = store.groups(rows)  # one pass: the kinds, the owners and the count of the unfiltered list
    kinds = {(d.source, str(d.kind)) for d in every} | {(source, labels[source]) for source, _o in groups}
    owner_ids = {owner for _s, owner in groups if owner is not None}
    owners = {(str(d.owner.user_id), d.owner.name) for d in every if d.owner}
    owners |= {(str(o.user_id), o.name) for o in map(Owner.of, get_user_model().objects.filter(pk__in=owner_ids)) if o}
    found = store.filtered(rows, query, today)
    count = sum(groups.values()) if query == Query() else found.count()
    items = DeadlineList(_filtered(every, query, today), count, lambda n: store.first(found, n), today)
    return Filtered(
        items,
        scope,
        may_oversee,
        sorted(kinds, key=lambda pair: pair[1]),
        sorted(owners, key=lambda pair: pair[1]),
    )


def _filtered(items: list[Deadline], query: Query, today: date) -> list[Deadline]:
    """The filters, in Python: for the deadlines of the computed providers."""
    kind = query.kind
    if kind:
        items = [d for d in items if d.source == kind]
    owner = query.owner
    if owner == "none":
        items = [d for d in items if d.owner is None]
    elif owner:
        items = [d for d in items if d.owner is not None and str(d.owner.user_id) == owner]
    rid = query.rid
    if rid:
        items = [d for d in items if d.rid_number and (d.rid_number == rid or d.rid_number.endswith(rid))]
    since, until = query.since, query.until
    if since:
        items = [d for d in items if d.due >= since]
    if until:
        items = [d for d in items if d.due <= until]
    state = query.state
    if state:
        items = [d for d in items if d.status(today) == state]
    return items
