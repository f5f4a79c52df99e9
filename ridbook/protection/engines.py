"""The rule engines of ``ridbook.protection.rules`` (terms, fees) as this app calls them: a stored document's data
turned into their arguments, and the policy's fee rules (``[fees]``; ru-default's when the organization's policy is
silent)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from ridbook.core.errors import DomainError
from ridbook.protection.rules import fees as _fees
from ridbook.protection.rules import terms as _terms
from ridbook.protection.rules.terms import add_years

__all__ = ["add_years", "expiry", "fee_row", "fee_rules", "rules_numbers", "schedule"]


def expiry(
    kind: str,
    *,
    policy: Any,
    filing_date: date | None,
    renewals: int = 0,
    extension_years: int = 0,
    authors_death_dates: Sequence[date | None] = (),
) -> _terms.Expiry:
    return _terms.expiry(
        kind,
        policy=policy,
        filing_date=filing_date,
        renewals=renewals,
        extension_years=extension_years,
        authors_death_dates=authors_death_dates,
    )


def fee_row(**values: Any) -> _fees.FeeRow:
    return _fees.FeeRow(**values)


def fee_rules(policy: Any) -> _fees.FeeRules | None:
    """The policy's fee rules (ru-default's when it is silent); None when there are none at all."""
    try:
        return _fees.fee_rules(policy)
    except DomainError:
        return None


def rules_numbers(policy: Any) -> tuple[int, int, int]:
    """(grace months, surcharge %, restoration years) of the policy's fee rules."""
    rules = fee_rules(policy) or _fees.FeeRules(rows=())
    return rules.grace_months, rules.surcharge_percent, rules.restoration_years


def schedule(
    kind: str,
    *,
    policy: Any,
    filing_date: date,
    grant_date: date | None,
    term_end: date | None,
    extra_rows: Sequence[_fees.FeeRow] = (),
) -> list[_fees.FeeDue]:
    """The whole term's fees (``rules.fees.schedule``); none for a kind without fees or when the term is unknown."""
    if kind not in _fees.BASIS_BY_KIND or term_end is None or term_end <= filing_date:
        return []
    rules = fee_rules(policy) or _fees.FeeRules(rows=())
    return _fees.schedule(
        kind, rules=rules, filing_date=filing_date, grant_date=grant_date, term_end=term_end, extra_rows=extra_rows
    )
