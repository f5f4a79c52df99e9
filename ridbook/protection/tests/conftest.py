from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ridbook.accounts.roles import Role
from ridbook.protection import services
from ridbook.registry.choices import RidStatus
from ridbook.registry.models import Rid
from ridbook.registry.services import AuthorInput, person_save, rid_create, rid_set_authors

# a test-local fee table (not LAW.md's figures: the mechanism is tested, never the unverified amounts)
YEAR_FEE = Decimal("1000.00")


@pytest.fixture
def officer(personas):
    return personas[Role.IP_OFFICER]


@pytest.fixture
def secretary(personas):
    return personas[Role.COMMISSION_SECRETARY]


@pytest.fixture
def rates(officer, org_tree):
    """Invention years 1–25 at 1000 roubles, design periods 1–5 at 3000, from 2000 on (test rows, unverified)."""
    return [
        services.fee_rate_add(
            actor=officer,
            organization=org_tree["university"],
            kind="invention",
            basis="year",
            first=1,
            last=25,
            amount=YEAR_FEE,
            valid_from=date(2000, 1, 1),
            source="тестовая строка",
        ),
        services.fee_rate_add(
            actor=officer,
            organization=org_tree["university"],
            kind="industrial_design",
            basis="period5",
            first=1,
            last=5,
            amount=Decimal("3000"),
            valid_from=date(2000, 1, 1),
            source="тестовая строка",
        ),
    ]


def decided_rid(officer, org_tree, kind: str = "invention", title: str = "Способ контроля износа") -> Rid:
    rid = rid_create(actor=officer, organization=org_tree["department"], kind=kind, title=title)
    person = person_save(actor=officer, last_name="Громов", first_name="Денис", organization=org_tree["department"])
    rid_set_authors(actor=officer, rid=rid, authors=[AuthorInput(person, Decimal("100"))])
    Rid.objects.filter(pk=rid.pk).update(status=RidStatus.FILING)
    rid.refresh_from_db()
    return rid


@pytest.fixture
def invention(officer, org_tree, rates):
    """An invention filed 19.05.2019, granted 01.02.2020: fees from the 3rd year (ru-default), due on the filing
    anniversaries."""
    rid = decided_rid(officer, org_tree)
    return services.document_create(
        actor=officer,
        rid=rid,
        kind="invention",
        number="2700001",
        filing_date=date(2019, 5, 20),
        granted_on=date(2020, 2, 1),
    )
