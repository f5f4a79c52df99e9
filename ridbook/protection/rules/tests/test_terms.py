"""Expiry per kind under ru-default and rzd-2013 (pure: no database).

Oracles are the numbers of verified policy rows; for an unverified row (ru-default's utility model, software and
database) the test reads the number from the loaded policy and checks only the mechanism.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from ridbook.core.errors import DomainError
from ridbook.policies.loader import get_policy
from ridbook.policies.schema import Policy
from ridbook.protection.rules.terms import add_years, expiry


@pytest.fixture(autouse=True)
def _russian() -> object:
    with translation.override("ru"):
        yield


@pytest.fixture(scope="module")
def ru() -> Policy:
    return get_policy("ru-default", version=1)


@pytest.fixture(scope="module")
def rzd() -> Policy:
    return get_policy("rzd-2013", version=1)


def test_a_term_in_years_ends_on_the_same_day_and_29_february_clamps() -> None:
    assert add_years(date(2005, 3, 15), 20) == date(2025, 3, 15)
    assert add_years(date(2004, 2, 29), 5) == date(2009, 2, 28)
    assert add_years(date(2004, 2, 29), 20) == date(2024, 2, 29)


def test_ru_default_invention_20_years_and_the_extension_up_to_5(ru: Policy) -> None:
    e = expiry("invention", policy=ru, filing_date=date(2005, 3, 15))
    assert e.expires_on == date(2025, 3, 15)  # Civil Code art. 1363 p.1, art. 192 p.1: the same day 20 years later
    assert e.latest_possible == date(2030, 3, 15)
    assert e.verified and "1363" in e.note
    extended = expiry("invention", policy=ru, filing_date=date(2005, 3, 15), extension_years=5)
    assert extended.expires_on == date(2030, 3, 15)
    with pytest.raises(DomainError, match="больше допустимого"):
        expiry("invention", policy=ru, filing_date=date(2005, 3, 15), extension_years=6)
    with pytest.raises(DomainError):
        expiry("invention", policy=ru, filing_date=date(2005, 3, 15), renewals=1)


def test_ru_default_utility_model_is_flagged_unverified(ru: Policy) -> None:
    assert ru.protection_terms is not None
    years = ru.protection_terms.utility_model.years
    assert years is not None
    e = expiry("utility_model", policy=ru, filing_date=date(2016, 7, 1))
    assert e.expires_on == add_years(date(2016, 7, 1), years)
    assert e.latest_possible == e.expires_on  # no extension in the rule
    assert not e.verified


def test_ru_default_design_renewals(ru: Policy) -> None:
    filed = date(2016, 2, 29)
    assert expiry("industrial_design", policy=ru, filing_date=filed).expires_on == date(2021, 2, 28)
    assert expiry("industrial_design", policy=ru, filing_date=filed, renewals=1).expires_on == date(2026, 2, 28)
    full = expiry("industrial_design", policy=ru, filing_date=filed, renewals=4)
    assert full.expires_on == date(2041, 2, 28) == full.latest_possible
    assert expiry("industrial_design", policy=ru, filing_date=filed).latest_possible == date(2041, 2, 28)
    with pytest.raises(DomainError):
        expiry("industrial_design", policy=ru, filing_date=filed, renewals=5)
    with pytest.raises(DomainError):
        expiry("industrial_design", policy=ru, filing_date=filed, extension_years=5)


@pytest.mark.parametrize("kind", ["software", "database"])
def test_ru_default_software_and_database_after_the_last_author(ru: Policy, kind: str) -> None:
    assert ru.protection_terms is not None
    years = getattr(ru.protection_terms, kind).years  # unverified row: the mechanism only
    e = expiry(kind, policy=ru, filing_date=None, authors_death_dates=[date(2001, 7, 1), date(1990, 5, 1)])
    assert e.expires_on == date(2001 + years, 12, 31)
    assert not e.verified


@pytest.mark.parametrize("kind", ["software", "database"])
def test_rzd_software_and_database_70_years_from_1_january_after_death(rzd: Policy, kind: str) -> None:
    e = expiry(
        kind, policy=rzd, filing_date=date(2015, 1, 1), authors_death_dates=[date(2030, 1, 1), date(2040, 12, 31)]
    )
    assert e.expires_on == date(2110, 12, 31)  # RZD §4.3.4/§4.3.5: death in 2040 → 1.1.2041 + 70 years − 1 day
    assert e.verified


@pytest.mark.parametrize("policy_name", ["ru-default", "rzd-2013"])
@pytest.mark.parametrize("kind", ["software", "database"])
def test_software_without_a_death_date_is_not_determinable(policy_name: str, kind: str) -> None:
    policy = get_policy(policy_name, version=1)
    alive = expiry(kind, policy=policy, filing_date=None, authors_death_dates=[date(2020, 1, 1), None])
    assert alive.expires_on is None and alive.latest_possible is None
    assert alive.note.startswith("не определяется: автор жив или дата его смерти неизвестна")
    nobody = expiry(kind, policy=policy, filing_date=None, authors_death_dates=[])
    assert nobody.expires_on is None and nobody.note.startswith("не определяется: не указан ни один автор")


@pytest.mark.parametrize("policy_name", ["ru-default", "rzd-2013"])
def test_know_how_while_confidential_and_ends_on_disclosure(policy_name: str) -> None:
    policy = get_policy(policy_name, version=1)
    secret = expiry("know_how", policy=policy, filing_date=None)
    assert secret.expires_on is None and secret.note.startswith("пока сохраняется конфиденциальность")
    disclosed = expiry("know_how", policy=policy, filing_date=None, disclosed_on=date(2024, 5, 6))
    assert disclosed.expires_on == date(2024, 5, 6)
    assert "06.05.2024" in disclosed.note


def test_rzd_invention_utility_model_and_design_take_the_seed_numbers(rzd: Policy) -> None:
    filed = date(2013, 11, 1)
    invention = expiry("invention", policy=rzd, filing_date=filed)
    assert invention.expires_on == invention.latest_possible == date(2033, 11, 1)  # RZD §4.3.1, no extension
    with pytest.raises(DomainError):
        expiry("invention", policy=rzd, filing_date=filed, extension_years=1)
    model = expiry("utility_model", policy=rzd, filing_date=filed)
    assert (model.expires_on, model.latest_possible) == (date(2023, 11, 1), date(2026, 11, 1))  # RZD §4.3.2
    assert expiry("utility_model", policy=rzd, filing_date=filed, extension_years=3).expires_on == date(2026, 11, 1)
    design = expiry("industrial_design", policy=rzd, filing_date=filed, extension_years=10)
    assert (design.expires_on, design.latest_possible) == (date(2038, 11, 1), date(2038, 11, 1))  # RZD §4.3.3
    assert expiry("industrial_design", policy=rzd, filing_date=filed).expires_on == date(2028, 11, 1)


def test_without_a_filing_date_a_patent_term_is_not_determinable(ru: Policy) -> None:
    e = expiry("invention", policy=ru, filing_date=None)
    assert e.expires_on is None and e.note.startswith("не определяется: не указана дата подачи заявки")


def test_a_policy_without_terms_follows_ru_default_and_says_so() -> None:
    tpu = get_policy("tpu", version=1)
    assert tpu.protection_terms is None
    e = expiry("invention", policy=tpu, filing_date=date(2024, 1, 10))
    assert e.expires_on == date(2044, 1, 10)
    assert "ru-default@1" in e.note
    old = expiry("invention", policy=tpu, filing_date=date(2010, 4, 1))  # before ru-default@1 took effect
    assert old.expires_on == date(2030, 4, 1) and "ru-default@1" in old.note


def test_an_unknown_kind_or_negative_renewals_are_refused(ru: Policy) -> None:
    with pytest.raises(DomainError):
        expiry("other", policy=ru, filing_date=date(2024, 1, 1))
    with pytest.raises(DomainError):
        expiry("industrial_design", policy=ru, filing_date=date(2024, 1, 1), renewals=-1)
    with pytest.raises(DomainError):
        expiry("software", policy=ru, filing_date=None, renewals=1, authors_death_dates=[None])
