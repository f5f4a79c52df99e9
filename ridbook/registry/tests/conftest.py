from __future__ import annotations

from decimal import Decimal

import pytest

from ridbook.accounts.roles import Role
from ridbook.registry.services import AuthorInput, person_save, rid_create, rid_set_authors


@pytest.fixture
def officer(personas):
    return personas[Role.IP_OFFICER]


@pytest.fixture
def author(personas):
    return personas[Role.AUTHOR]


@pytest.fixture
def author_person(author, officer, org_tree):
    return person_save(
        actor=officer,
        last_name="Иванов",
        first_name="Пётр",
        middle_name="Сергеевич",
        snils="112-233-445 95",
        inn="500100732259",
        organization=org_tree["department"],
        user=author,
    )


@pytest.fixture
def coauthor(officer, org_tree):
    return person_save(actor=officer, last_name="Петрова", first_name="Анна", organization=org_tree["department"])


NOTICE = {
    "purpose": "Автоматизация контроля износа рельсов",
    "keywords": ["рельс", "износ", "контроль"],
    "abstract": "Способ определения износа рельсов по изображениям с камеры путеизмерителя.",
    "okpd2": "62.01.11.000",
}


@pytest.fixture
def draft(author, author_person, coauthor, org_tree):
    rid = rid_create(
        actor=author,
        organization=org_tree["department"],
        kind="invention",
        title="Способ контроля износа рельсов",
        **NOTICE,
    )
    rid_set_authors(
        actor=author,
        rid=rid,
        authors=[
            AuthorInput(author_person, Decimal("60"), contribution="идея"),
            AuthorInput(coauthor, Decimal("40"), contribution="расчёты"),
        ],
    )
    return rid
