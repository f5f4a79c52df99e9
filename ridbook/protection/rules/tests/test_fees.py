"""The fee schedule, grace period and restoration (pure: no database).

Amounts come from ru-default's verified rows (WIPO PCT Applicant's Guide, annex RU.I: the table applicable from
1 March 2024 up to 4 October 2024). Values the policy marks unverified (``first_paid``, ``before_grant``) are read
from the policy: only the mechanism is checked.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from ridbook.core.errors import DomainError
from ridbook.policies.loader import get_policy
from ridbook.protection.rules.fees import (
    FeeDue,
    FeeRow,
    FeeRules,
    amount_to_pay,
    fee_rules,
    late_payment,
    restoration_amount,
    restoration_until,
    schedule,
)
from ridbook.protection.rules.terms import add_years, expiry

FILED = date(2014, 6, 1)  # year 11 of its term begins 01.06.2024, inside the table of 1 March – 4 October 2024
GRANTED = date(2016, 9, 15)


@pytest.fixture(autouse=True)
def _russian() -> object:
    with translation.override("ru"):
        yield


@pytest.fixture(scope="module")
def rules() -> FeeRules:
    return fee_rules(get_policy("ru-default", version=1))


def invention_schedule(rules: FeeRules, **kwargs: object) -> list[FeeDue]:
    term = expiry("invention", policy=get_policy("ru-default", version=1), filing_date=FILED)
    options: dict = {"rules": rules, "filing_date": FILED, "grant_date": GRANTED, "term_end": term.expires_on}
    options.update(kwargs)
    return schedule("invention", **options)


def test_the_policy_rows_and_rules_load(rules: FeeRules) -> None:
    assert (rules.grace_months, rules.surcharge_percent) == (6, 50)
    assert (rules.restoration_years, rules.restoration_factor, rules.open_licence_discount_percent) == (
        3,
        Decimal("2.5"),
        50,
    )
    year_11 = [r for r in rules.rows if r.kind == "invention" and r.first <= 11 <= r.last]
    assert [(r.amount, r.valid_from, r.valid_until, r.verified) for r in year_11] == [
        (Decimal(7300), date(2024, 3, 1), date(2024, 10, 4), True)
    ]
    assert "ru-default@1" in rules.source


def test_an_invention_schedule_across_its_whole_term(rules: FeeRules) -> None:
    first = rules.first_paid_year["invention"]
    dues = invention_schedule(rules)
    assert [d.number for d in dues] == list(range(first, 21))
    assert all(d.basis == "year" for d in dues)
    for d in dues:
        start = add_years(FILED, d.number - 1)
        assert d.period_start == start
        assert d.due_on == (GRANTED if start <= GRANTED else start)
    assert dues[-1].period_end == date(2034, 6, 1)  # the term's last day (Civil Code art. 1363, 192)
    by_number = {d.number: d for d in dues}
    eleven = by_number[11]
    assert (eleven.due_on, eleven.amount, eleven.surcharge) == (date(2024, 6, 1), Decimal(7300), Decimal(3650))
    assert eleven.row is not None and "WIPO" in eleven.note
    # every other year is due outside the dated table: no rate is invented
    for number, d in by_number.items():
        if number != 11:
            assert d.amount is None and d.surcharge is None and d.row is None
            assert "ставка не найдена — внесите строку таблицы пошлин с источником" in d.note


def test_the_extension_adds_years_21_to_25(rules: FeeRules) -> None:
    filed = date(2003, 6, 1)  # year 22 begins 01.06.2024
    term = expiry("invention", policy=get_policy("ru-default", version=1), filing_date=filed, extension_years=5)
    dues = schedule("invention", rules=rules, filing_date=filed, grant_date=date(2005, 1, 1), term_end=term.expires_on)
    assert dues[-1].number == 25
    assert {d.number: d.amount for d in dues}[22] == Decimal(24000)


def test_a_row_added_by_the_ip_department_wins_and_fills_the_years_the_policy_lacks(rules: FeeRules) -> None:
    test_rows = [  # test-local rows: the mechanism, not the office's numbers
        FeeRow("invention", "year", 3, 20, Decimal(1000), date(2000, 1, 1), None, "test", False),
        FeeRow("invention", "year", 11, 11, Decimal(9999), date(2024, 5, 1), None, "test: newer", False),
    ]
    dues = {d.number: d for d in invention_schedule(rules, extra_rows=test_rows)}
    assert dues[11].amount == Decimal(9999) and dues[11].note.endswith("test: newer (не проверено)")
    assert dues[10].amount == Decimal(1000) and dues[20].amount == Decimal(1000)


def test_inside_the_grace_period_the_fee_carries_the_surcharge(rules: FeeRules) -> None:
    eleven = next(d for d in invention_schedule(rules) if d.number == 11)
    assert eleven.grace_until == date(2024, 12, 1)  # 6 months after the due date (art. 191, 192)
    assert late_payment(eleven, date(2024, 5, 20)) == "on_time"
    assert amount_to_pay(eleven, date(2024, 6, 1)).amount == Decimal(7300)
    in_grace = amount_to_pay(eleven, date(2024, 6, 2))
    assert (in_grace.state, in_grace.amount) == ("grace", Decimal(10950))
    assert amount_to_pay(eleven, date(2024, 12, 1)).amount == Decimal(10950)
    too_late = amount_to_pay(eleven, date(2024, 12, 2))
    assert (too_late.state, too_late.amount) == ("late", None)
    assert restoration_amount(eleven, rules) == Decimal(18250)
    assert restoration_until(eleven, rules) == date(2027, 12, 1)
    assert restoration_until(eleven, rules, term_end=date(2026, 1, 1)) == date(2026, 1, 1)


def test_the_grace_period_ends_on_the_last_day_of_a_shorter_month() -> None:
    rules = FeeRules(rows=(FeeRow("invention", "year", 1, 30, Decimal(100), date(2000, 1, 1), None, "test", False),))
    dues = schedule(
        "invention", rules=rules, filing_date=date(2020, 8, 31), grant_date=None, term_end=date(2040, 8, 31)
    )
    assert dues[4].due_on == date(2024, 8, 31) and dues[4].grace_until == date(2025, 2, 28)
    assert dues[0].number == 1  # the test rules set no first paid year


def test_the_open_licence_halves_the_fees_of_the_years_after_it(rules: FeeRules) -> None:
    dues = {d.number: d for d in invention_schedule(rules, open_licence_from=date(2024, 1, 15))}
    assert dues[11].amount == Decimal(3650) and dues[11].surcharge == Decimal(1825)
    late = {d.number: d for d in invention_schedule(rules, open_licence_from=date(2024, 6, 1))}
    assert late[11].amount == Decimal(7300)  # published on the year's first day: from the next year


def test_a_design_pays_per_five_year_period(rules: FeeRules) -> None:
    ru = get_policy("ru-default", version=1)
    term = expiry("industrial_design", policy=ru, filing_date=date(2016, 3, 1), renewals=4)
    dues = schedule(
        "industrial_design", rules=rules, filing_date=date(2016, 3, 1), grant_date=None, term_end=term.expires_on
    )
    assert [(d.basis, d.period_start) for d in dues] == [
        ("period5", date(2016 + 5 * i, 3, 1)) for i in range(rules.first_paid_year["industrial_design"] - 1, 5)
    ]
    assert all(d.amount is None for d in dues)  # amounts not found (LAW.md): none invented


def test_kinds_without_fees_and_an_unknown_term(rules: FeeRules) -> None:
    for kind in ("software", "database", "know_how"):
        assert schedule(kind, rules=rules, filing_date=FILED, grant_date=None, term_end=None) == []
    with pytest.raises(DomainError):
        schedule("invention", rules=rules, filing_date=FILED, grant_date=None, term_end=None)


def test_a_policy_without_fees_follows_ru_default_and_says_so() -> None:
    rzd = fee_rules(get_policy("rzd-2013", version=1), on=date(2024, 6, 1))
    ru = fee_rules(get_policy("ru-default", version=1))
    assert rzd.rows == ru.rows
    assert "ru-default@1" in rzd.source and "не устанавливают" in rzd.source


def test_a_utility_model_pays_from_its_first_year(rules: FeeRules) -> None:
    ru = get_policy("ru-default", version=1)
    assert ru.protection_terms is not None and ru.protection_terms.utility_model.years is not None
    filed = date(2016, 7, 1)  # year 9 begins 01.07.2024
    term_end = add_years(filed, ru.protection_terms.utility_model.years)  # unverified term: the mechanism only
    dues = schedule("utility_model", rules=rules, filing_date=filed, grant_date=date(2017, 3, 1), term_end=term_end)
    assert dues[0].number == rules.first_paid_year["utility_model"]
    assert {d.number: d.amount for d in dues}[9] == Decimal(4900)
    assert dues[-1].period_end == term_end
