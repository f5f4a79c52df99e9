"""The page «Сроки» and the API's ``/deadlines/``: every deadline the user may see, filtered, overdue first.

Filters (the same on the page and in the API): ``kind`` (the provider's code, ``Deadline.source``), ``owner`` (a
user id, or ``none`` for deadlines of a role rather than a person), ``rid`` (a RID's number, or its tail: «00005»),
``since``/``until`` (due dates, inclusive), ``state`` (``overdue``, ``soon``, ``later``, ``done``), ``scope``
(``mine``; ``organization``, the default of whoever may oversee deadlines).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ridbook.core.errors import DomainError
from ridbook.deadlines.registry import (
    SCOPE_LABELS,
    STATE_LABELS,
    URGENCY_LABELS,
    Deadline,
    Scope,
    State,
    Urgency,
    deadlines_for,
    default_scope,
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


@dataclass(frozen=True)
class Filtered:
    """The deadlines after the filters, and what the filters may offer (from the unfiltered list)."""

    items: list[Deadline]
    scope: Scope
    may_oversee: bool
    kinds: list[tuple[str, str]]  # (source, label)
    owners: list[tuple[str, str]]  # (user id, name)


def deadlines_filtered(user: Any, today: date, params: dict[str, Any]) -> Filtered:
    """``params``: the cleaned data of :class:`DeadlineFilterForm`."""
    may_oversee = default_scope(user) == Scope.ORGANIZATION
    scope = Scope(params.get("scope") or (Scope.ORGANIZATION if may_oversee else Scope.MINE))
    if not may_oversee:
        scope = Scope.MINE
    every = deadlines_for(user, today, scope)
    kinds = sorted({(d.source, str(d.kind)) for d in every}, key=lambda pair: pair[1])
    owners = sorted({(str(d.owner.user_id), d.owner.name) for d in every if d.owner}, key=lambda pair: pair[1])
    items = every
    kind = params.get("kind")
    if kind:
        items = [d for d in items if d.source == kind]
    owner = params.get("owner")
    if owner == "none":
        items = [d for d in items if d.owner is None]
    elif owner:
        items = [d for d in items if d.owner is not None and str(d.owner.user_id) == owner]
    rid = (params.get("rid") or "").strip()
    if rid:
        items = [d for d in items if d.rid_number and (d.rid_number == rid or d.rid_number.endswith(rid))]
    since, until = params.get("since"), params.get("until")
    if since:
        items = [d for d in items if d.due >= since]
    if until:
        items = [d for d in items if d.due <= until]
    state = params.get("state")
    if state:
        items = [d for d in items if d.status(today) == state]
    return Filtered(items, scope, may_oversee, kinds, owners)
