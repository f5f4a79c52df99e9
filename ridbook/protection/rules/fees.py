"""Maintenance fees: the fee table as dated policy data, a document's schedule, late payment.

Readings (LAW.md «Rospatent fees»; what is marked there unverified is flagged in the policy):

* **years of the term** are counted from the filing date: year *n* runs from the (n−1)-th anniversary of the filing
  to the day before the n-th (``period_start``…``period_end``); a five-year period (``period5``, designs) likewise.
  A year is in the schedule when it begins before the term ends (``term_end``, from :func:`terms.expiry`); the last
  one ends with the term;
* **due date**: the fee for a year is paid in advance, by the year's first day (``due_on = period_start``, the
  filing anniversary). Years before ``rules.first_paid[kind]`` carry no maintenance fee. The years that began
  before the grant (``before_grant = "with_grant"``, a ridbook reading marked unverified) are due on the grant
  date. Without a grant date the schedule is provisional: those years keep their anniversaries;
* **grace period**: «within 6 months after the due date»: the period begins the day after ``due_on`` (Civil Code
  art. 191) and ends on the same day of the 6th month (art. 192 p. 3: the month's last day when it has no such
  day), so ``grace_until = due_on + 6 months``; paid inside it, the fee carries the surcharge (50 %);
* **restoration**: within ``restoration_years`` after the grace period ends (and before the term ends), at
  ``restoration_factor`` × that year's fee (LAW.md; art. 1400);
* **open licence**: the fee is reduced (−50 %) for the years that begin after the open licence is published;
* **the rate**: the fee table row valid on the due date (``valid_from`` ≤ ``due_on`` ≤ ``valid_until``) for the
  kind, basis and year; a row the IP department added (``extra_rows``) wins over the policy's; among several, the
  one valid from the latest date. No row: ``amount = None`` and a note asking for the row — never a guess.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from django.utils.translation import gettext as _

from ridbook.core.errors import DomainError
from ridbook.policies.schema import Fees, Policy
from ridbook.protection.rules.defaults import default_policy
from ridbook.protection.rules.terms import add_years
from ridbook.workdays.calendar import add_months

__all__ = [
    "FeeDue",
    "FeeRow",
    "FeeRules",
    "Payment",
    "amount_to_pay",
    "fee_rules",
    "late_payment",
    "restoration_amount",
    "restoration_until",
    "schedule",
]

Basis = Literal["year", "period5"]
BASIS_BY_KIND: dict[str, Basis] = {"invention": "year", "utility_model": "year", "industrial_design": "period5"}
"""Kinds with maintenance fees and how their term is divided; software, databases and know-how have none."""

KOPECK = Decimal("0.01")
_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class FeeRow:
    """One row of the fee table: ``amount`` for years (or five-year periods) ``first``…``last`` of a ``kind``'s
    term, for fees due from ``valid_from`` to ``valid_until`` (inclusive; ``None``: open)."""

    kind: str
    basis: Basis
    first: int
    last: int
    amount: Decimal
    valid_from: date
    valid_until: date | None
    source: str
    verified: bool

    def covers(self, kind: str, basis: str, number: int, on: date) -> bool:
        return (
            self.kind == kind
            and self.basis == basis
            and self.first <= number <= self.last
            and self.valid_from <= on
            and (self.valid_until is None or on <= self.valid_until)
        )


@dataclass(frozen=True)
class FeeRules:
    """The fee table and the upkeep rules of a policy (see :func:`fee_rules`)."""

    rows: tuple[FeeRow, ...]
    grace_months: int = 6
    surcharge_percent: int = 50
    restoration_years: int = 3
    restoration_factor: Decimal = Decimal("2.5")
    open_licence_discount_percent: int = 50
    first_paid_year: dict[str, int] = field(default_factory=dict)
    source: str = ""
    verified: bool = True
    unverified: tuple[str, ...] = ()


@dataclass(frozen=True)
class FeeDue:
    """One fee of a schedule: year (or period) ``number`` of the term; ``amount`` (reduced by an open licence) and
    ``surcharge`` (due inside the grace period) are ``None`` when no fee table row covers it (``note`` says so)."""

    number: int
    basis: Basis
    period_start: date
    period_end: date
    due_on: date
    grace_until: date
    amount: Decimal | None
    surcharge: Decimal | None
    row: FeeRow | None
    note: str


PaymentState = Literal["on_time", "grace", "late"]


@dataclass(frozen=True)
class Payment:
    """What paying ``due`` on a day means: its state and the amount (``None``: no rate known, or too late to pay —
    restoration instead)."""

    state: PaymentState
    amount: Decimal | None
    note: str


def fee_rules(policy: Policy, *, on: date | None = None) -> FeeRules:
    """The policy's ``[fees]``; a policy whose rules are silent follows ``ru-default`` in force on ``on``, stated
    in ``source``. Raises DomainError when neither has fees."""
    section, ref, inherited = policy.fees, policy.ref, False
    if section is None:
        default = default_policy(on)
        section, ref, inherited = default.fees, default.ref, True
    if section is None:
        raise DomainError(_("В политике нет таблицы пошлин."), code="no_fee_table")
    return _rules_from(section, ref, inherited)


def _rules_from(section: Fees, ref: str, inherited: bool) -> FeeRules:
    rows = tuple(
        FeeRow(r.kind, r.basis, r.first, r.last, r.amount, r.valid_from, r.valid_until, r.source, r.verified)
        for r in section.rows
    )
    source = _("таблица пошлин политики %(ref)s") % {"ref": ref}
    if inherited:
        source = _("таблица пошлин %(ref)s: правила организации её не устанавливают") % {"ref": ref}
    return FeeRules(
        rows=rows,
        grace_months=section.grace_months,
        surcharge_percent=section.surcharge_percent,
        restoration_years=section.restoration_years,
        restoration_factor=section.restoration_factor,
        open_licence_discount_percent=section.open_licence_discount_percent,
        first_paid_year={str(k): v for k, v in section.first_paid.items()},
        source=source,
        verified=not section.unverified,
        unverified=tuple(section.unverified),
    )


def _percent(amount: Decimal, percent: int | Decimal) -> Decimal:
    return (amount * Decimal(percent) / 100).quantize(KOPECK, rounding=ROUND_HALF_UP)


def find_row(rows: Sequence[FeeRow], kind: str, basis: str, number: int, on: date) -> FeeRow | None:
    """The row valid on ``on`` for year ``number``; among several, the one valid from the latest date."""
    matching = [r for r in rows if r.covers(kind, basis, number, on)]
    return max(matching, key=lambda r: r.valid_from) if matching else None


def schedule(
    kind: str,
    *,
    rules: FeeRules,
    filing_date: date,
    grant_date: date | None,
    term_end: date | None,
    open_licence_from: date | None = None,
    extra_rows: Sequence[FeeRow] = (),
) -> list[FeeDue]:
    """Every maintenance fee of a right of ``kind`` over its whole term (see the module's readings).

    ``term_end``: the last day in force (``terms.expiry(...).expires_on``); ``None`` for a kind with fees is a
    DomainError (the term must be known). ``extra_rows``: rows the IP department added, preferred to the policy's.
    """
    basis = BASIS_BY_KIND.get(kind)
    if basis is None:
        return []
    if term_end is None:
        raise DomainError(_("График пошлин не строится: срок действия охранного документа не определён."))
    if term_end <= filing_date:
        raise DomainError(_("Срок действия должен оканчиваться позже даты подачи заявки."))
    step = 1 if basis == "year" else 5
    first = rules.first_paid_year.get(kind, 1)
    out: list[FeeDue] = []
    number = first
    while (start := add_years(filing_date, (number - 1) * step)) < term_end:
        next_start = add_years(filing_date, number * step)
        end = term_end if next_start >= term_end else next_start - _ONE_DAY  # the last period ends with the term
        due_on = start
        notes: list[str] = []
        if grant_date is not None and start <= grant_date:
            due_on = grant_date
            notes.append(
                _("год начался до выдачи патента: пошлина уплачивается с выдачей (прочтение ridbook, не сверено)")
            )
        grace_until = add_months(due_on, rules.grace_months)
        row = find_row(extra_rows, kind, basis, number, due_on) or find_row(rules.rows, kind, basis, number, due_on)
        amount = surcharge = None
        if row is None:
            notes.append(_("ставка не найдена — внесите строку таблицы пошлин с источником"))
        else:
            amount = row.amount
            if open_licence_from is not None and start > open_licence_from:
                amount = amount - _percent(amount, rules.open_licence_discount_percent)
                notes.append(_("открытая лицензия: −%(percent)s %%") % {"percent": rules.open_licence_discount_percent})
            surcharge = _percent(amount, rules.surcharge_percent)
            notes.append(row.source if row.verified else _("%(source)s (не проверено)") % {"source": row.source})
        out.append(FeeDue(number, basis, start, end, due_on, grace_until, amount, surcharge, row, "; ".join(notes)))
        number += 1
    return out


def late_payment(due: FeeDue, paid_on: date) -> PaymentState:
    """``"on_time"`` up to the due date, ``"grace"`` up to ``grace_until`` (with the surcharge), ``"late"`` after
    (the right lapses; restoration only)."""
    if paid_on <= due.due_on:
        return "on_time"
    if paid_on <= due.grace_until:
        return "grace"
    return "late"


def amount_to_pay(due: FeeDue, paid_on: date) -> Payment:
    """The amount to pay for ``due`` on ``paid_on``: the fee on time, the fee + surcharge in the grace period,
    nothing after it (``state = "late"``: the right has lapsed, see :func:`restoration_amount`)."""
    state = late_payment(due, paid_on)
    if due.amount is None:
        return Payment(state, None, _("ставка не найдена — внесите строку таблицы пошлин с источником"))
    if state == "on_time":
        return Payment(state, due.amount, _("в срок"))
    if state == "grace":
        assert due.surcharge is not None
        return Payment(
            state,
            due.amount + due.surcharge,
            _("в льготный срок до %(day)s: с доплатой %(surcharge)s")
            % {
                "day": due.grace_until.strftime("%d.%m.%Y"),
                "surcharge": due.surcharge,
            },
        )
    return Payment(
        state,
        None,
        _("льготный срок истёк %(day)s: действие прекращено, возможно только восстановление")
        % {"day": due.grace_until.strftime("%d.%m.%Y")},
    )


def restoration_until(due: FeeDue, rules: FeeRules, term_end: date | None = None) -> date:
    """The last day to ask for restoration after ``due`` went unpaid: ``restoration_years`` after the grace period
    ends, and not after the term's end."""
    last = add_years(due.grace_until, rules.restoration_years)
    return min(last, term_end) if term_end is not None else last


def restoration_amount(due: FeeDue, rules: FeeRules) -> Decimal | None:
    """``restoration_factor`` × that year's fee; ``None`` when no rate is known."""
    if due.amount is None:
        return None
    return (due.amount * rules.restoration_factor).quantize(KOPECK, rounding=ROUND_HALF_UP)
