"""The rule engines of ``ridbook.protection.rules`` (terms, fees), as this app calls them.

The engines are pure (another developer's package); this module only adapts a stored document to their arguments.
Until that package is merged, a minimal stand-in with the same interface computes what the tests and pages need
(``STAND_IN`` says so): terms counted from filing per the policy's ``[protection_terms]``, the software rule of
art. 1281, and fees from the rows the IP department entered (the policy has no ``[fees]`` section then).
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Literal

from django.utils.translation import gettext as _

try:  # pragma: no cover - depends on the merge of the ``rules`` branch
    from ridbook.protection.rules import fees as _fees
    from ridbook.protection.rules import terms as _terms

    STAND_IN = False
except ImportError:  # pragma: no cover
    _fees = _terms = None  # type: ignore[assignment]
    STAND_IN = True


def add_years(day: date, years: int) -> date:
    """The same day ``years`` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# --- terms ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Expiry:
    expires_on: date | None
    note: str
    latest_possible: date | None
    rule: Any
    verified: bool


def expiry(
    kind: str,
    *,
    policy: Any,
    filing_date: date | None,
    renewals: int = 0,
    extension_years: int = 0,
    authors_death_dates: Sequence[date | None] = (),
    disclosed_on: date | None = None,
) -> Any:
    if _terms is not None:
        return _terms.expiry(
            kind,
            policy=policy,
            filing_date=filing_date,
            renewals=renewals,
            extension_years=extension_years,
            authors_death_dates=authors_death_dates,
            disclosed_on=disclosed_on,
        )
    rule = getattr(policy.protection_terms, kind)
    verified = bool(getattr(rule, "verified", True))
    source = getattr(rule, "source", "")
    if rule.counted_from == "while_confidential":
        if disclosed_on is not None:
            return Expiry(disclosed_on, _("конфиденциальность утрачена (%(source)s)") % {"source": source}, None, rule, verified)
        return Expiry(None, _("пока сохраняется конфиденциальность (%(source)s)") % {"source": source}, None, rule, verified)
    if rule.counted_from == "january_after_death_of_last_author":
        if not authors_death_dates:
            note = _("не определяется: авторы не указаны (%(source)s)") % {"source": source}
            return Expiry(None, note, None, rule, verified)
        if any(d is None for d in authors_death_dates):
            note = _("не определяется: дата смерти автора неизвестна — срок считается от смерти последнего из авторов (%(source)s)") % {"source": source}
            return Expiry(None, note, None, rule, verified)
        last = max(d for d in authors_death_dates if d is not None)
        end = date(last.year + rule.years, 12, 31)
        return Expiry(end, _("%(years)s лет с 1 января года, следующего за годом смерти последнего автора (%(source)s)") % {"years": rule.years, "source": source}, end, rule, verified)
    if filing_date is None:
        return Expiry(None, _("не определяется: не указана дата подачи заявки (%(source)s)") % {"source": source}, None, rule, verified)
    step = rule.extension_step_years or 0
    granted = min(rule.max_extension_years, renewals * step if step else extension_years)
    end = add_years(filing_date, rule.years + granted) - timedelta(days=1)
    latest = add_years(filing_date, rule.years + rule.max_extension_years) - timedelta(days=1)
    note = _("%(years)s лет с даты подачи заявки (%(source)s)") % {"years": rule.years + granted, "source": source}
    return Expiry(end, note, latest, rule, verified)


# --- fees ----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeeRow:
    kind: str
    basis: Literal["year", "period5"]
    first: int
    last: int
    amount: Decimal
    valid_from: date
    valid_until: date | None
    source: str
    verified: bool


@dataclass(frozen=True)
class FeeDue:
    number: int
    basis: str
    period_start: date
    period_end: date
    due_on: date
    grace_until: date
    amount: Decimal | None
    surcharge: Decimal | None
    row: FeeRow | None
    note: str


def fee_row(**values: Any) -> Any:
    cls = _fees.FeeRow if _fees is not None else FeeRow
    return cls(**values)


def fee_rules(policy: Any) -> Any:
    """The policy's ``[fees]`` (None when the policy has none)."""
    return getattr(policy, "fees", None)


GRACE_MONTHS = 6
SURCHARGE_PERCENT = 50
RESTORATION_YEARS = 3


def rules_numbers(policy: Any) -> tuple[int, int, int]:
    """(grace months, surcharge %, restoration years) of the policy's fee rules, or art. 1399 / the fee regulation."""
    rules = fee_rules(policy)
    if rules is None:
        return GRACE_MONTHS, SURCHARGE_PERCENT, RESTORATION_YEARS
    return rules.grace_months, rules.surcharge_percent, rules.restoration_years


def schedule(
    kind: str,
    *,
    policy: Any,
    filing_date: date,
    grant_date: date | None,
    term_end: date | None,
    extra_rows: Sequence[Any] = (),
) -> list[Any]:
    rules = fee_rules(policy)
    if _fees is not None and rules is not None:
        return _fees.schedule(
            kind, rules=rules, filing_date=filing_date, grant_date=grant_date, term_end=term_end, extra_rows=extra_rows
        )
    if kind not in ("invention", "utility_model", "industrial_design") or term_end is None:
        return []
    basis = "period5" if kind == "industrial_design" else "year"
    step = 5 if basis == "period5" else 1
    out = []
    number = 1
    start = filing_date
    while start <= term_end:
        end = min(add_years(start, step) - timedelta(days=1), term_end)
        due_on = start if grant_date is None or start > grant_date else grant_date
        grace_until = add_months(due_on, GRACE_MONTHS) - timedelta(days=1)
        candidates = [
            r
            for r in extra_rows
            if r.kind == kind and r.basis == basis and r.first <= number <= r.last and r.valid_from <= due_on
            and (r.valid_until is None or due_on <= r.valid_until)
        ]
        row = max(candidates, key=lambda r: r.valid_from, default=None)
        if row is None:
            amount = surcharge = None
            note = _("ставка не найдена — внесите строку таблицы пошлин с источником")
        else:
            amount = row.amount
            surcharge = (row.amount * SURCHARGE_PERCENT / 100).quantize(Decimal("0.01"))
            note = row.source
        out.append(FeeDue(number, basis, start, end, due_on, grace_until, amount, surcharge, row, note))
        number += 1
        start = add_years(start, step)
    return out
