from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from ridbook.accounts.roles import Role
from ridbook.registry.services import AuthorInput, person_save, rid_create, rid_set_authors
from ridbook.tradesecret.models import AccessGrant, Regime

HOLDER = "ФГБОУ ВО «Тестовый университет»"
ADDRESS = "394006, г. Воронеж, ул. 20-летия Октября, 84"


@pytest.fixture
def officer(personas):
    return personas[Role.IP_OFFICER]


@pytest.fixture
def head(personas):
    return personas[Role.DIVISION_HEAD]


@pytest.fixture
def author(personas):
    return personas[Role.AUTHOR]


def make_regime(officer, org_tree, *, title="Способ закалки рельсов", copy_limit=2, kind="know_how", grant=True):
    rid = rid_create(
        actor=officer,
        organization=org_tree["department"],
        kind=kind,
        title=title,
        abstract="Рельс нагревают до 850 °C и охлаждают водой.",
        purpose="Повышение износостойкости",
        uses="Путевое хозяйство",
    )
    person = person_save(actor=officer, last_name="Громов", first_name="Денис", organization=org_tree["department"])
    rid_set_authors(actor=officer, rid=rid, authors=[AuthorInput(person, Decimal("100"))])
    regime = Regime.objects.create(
        rid=rid,
        organization=org_tree["department"],
        state="in_force",
        presented_on=date(2026, 1, 15),
        approved_on=date(2026, 2, 1),
        storage_place="Сейф № 3, к. 214",
        storage_medium="paper",
        copy_limit=copy_limit,
        holder_name=HOLDER,
        holder_address=ADDRESS,
    )
    if grant:
        AccessGrant.objects.create(regime=regime, user=officer, added_on=date(2026, 2, 1), added_by=officer)
    return regime


@pytest.fixture
def regime(officer, org_tree):
    return make_regime(officer, org_tree)


@pytest.fixture
def today():
    return timezone.localdate()
