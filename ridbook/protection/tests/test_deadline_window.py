"""The page's window into the providers of many deadlines (fees, upkeep, the docket) gives what the providers give,
filtered as the page filters: the same deadlines, the same order, the same count, the same choices of the filters."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from ridbook.accounts.roles import Role
from ridbook.deadlines.registry import Query, Scope, deadlines_for, sort_key
from ridbook.deadlines.selectors import _filtered, deadlines_filtered
from ridbook.prosecution.models import Application, DocketTask
from ridbook.protection import services
from ridbook.protection.models import FeeDueRecord
from ridbook.protection.tests.conftest import decided_rid

pytestmark = pytest.mark.django_db


def _before(user: Any, today: date, params: dict[str, Any]) -> list[Any]:
    """The page's list as it was computed before the windows: every provider's deadlines, filtered in Python."""
    scope = params.get("scope") or Scope.ORGANIZATION
    every = deadlines_for(user, today, scope)
    query = Query(**{k: v for k, v in params.items() if k != "scope"})
    return sorted(_filtered(every, query, today), key=sort_key(today))


@pytest.fixture
def portfolio(officer, personas, org_tree, invention):
    """Three inventions filed a year apart, and an application with open docket tasks of two owners and none."""
    documents = [invention]
    for n, filed in enumerate((date(2020, 5, 20), date(2021, 3, 2)), start=2):
        rid = decided_rid(officer, org_tree, title=f"Способ {n}")
        documents.append(
            services.document_create(
                actor=officer, rid=rid, kind="invention", number=f"270000{n}", filing_date=filed, granted_on=filed
            )
        )
    application = Application.objects.create(
        rid=invention.rid,
        organization=invention.organization,
        kind="invention",
        signatory=personas[Role.ADMINISTRATOR],
        responsible=officer,
    )
    fee = FeeDueRecord.objects.filter(document=invention, number=5).get()
    for k, (owner, days) in enumerate(((officer, -3), (None, 0), (personas[Role.ADMINISTRATOR], 5), (officer, 40))):
        DocketTask.objects.create(
            application=application,
            key=f"k{k}",
            title=f"Задача {k}",
            due=fee.due_on + timedelta(days=days),
            owner=owner,
            rule_code="test",
        )
    return documents, fee


@pytest.mark.parametrize("shift", [-10, 20, 200])
@pytest.mark.parametrize(
    "params",
    [
        {},
        {"kind": "protection.fees"},
        {"kind": "prosecution.docket", "owner": "none"},
        {"state": "overdue"},
        {"state": "soon"},
        {"state": "later"},
        {"state": "done"},
        {"rid": "00001"},
    ],
)
def test_the_window_gives_what_the_providers_give(officer, secretary, portfolio, shift, params):
    _documents, fee = portfolio
    today = fee.due_on + timedelta(days=shift)
    for user in (officer, secretary):
        expected = _before(user, today, params)
        found = deadlines_filtered(user, today, params)
        assert len(found.items) == len(expected)
        assert [d.key for d in found.items] == [d.key for d in expected]
        assert [d.key for d in found.items[1:3]] == [d.key for d in expected[1:3]]
        every = deadlines_for(user, today, found.scope)
        assert found.kinds == sorted({(d.source, str(d.kind)) for d in every}, key=lambda pair: pair[1])
        owners = {(str(d.owner.user_id), d.owner.name) for d in every if d.owner}
        assert found.owners == sorted(owners, key=lambda pair: pair[1])
    if not params and shift == -10:  # the case is not empty: each windowed provider has its deadlines in it
        assert {"protection.fees", "prosecution.docket"} <= {
            d.source for d in deadlines_filtered(officer, today, {}).items
        }
        assert "protection.upkeep" in {d.source for d in deadlines_filtered(secretary, today, {}).items}


def test_the_window_filters_by_owner_and_dates(officer, personas, portfolio):
    _documents, fee = portfolio
    today = fee.due_on
    for params in (
        {"owner": str(officer.pk)},
        {"owner": str(personas[Role.ADMINISTRATOR].pk)},
        {"since": today, "until": today + timedelta(days=10)},
        {"until": today - timedelta(days=1)},
    ):
        expected = _before(officer, today, params)
        assert [d.key for d in deadlines_filtered(officer, today, params).items] == [d.key for d in expected]
