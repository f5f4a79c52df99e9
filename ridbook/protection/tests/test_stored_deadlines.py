"""The stored deadlines (fees, upkeep, the docket) are what their providers compute: after a refresh, the rows equal the
computed items field by field, for every user and scope; the page reads them filtered as it filters the computed ones
(the same deadlines, order, count and choices of the filters); every write that changes a fee or a decision refreshes
its document's rows at once; the daily job run twice writes its letters once."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import translation

from ridbook.accounts.roles import Role
from ridbook.deadlines.models import StoredDeadline
from ridbook.deadlines.registry import Query, Scope, deadlines_for, sort_key, stored_providers
from ridbook.deadlines.selectors import _filtered, deadlines_filtered
from ridbook.deadlines.store import refresh_all
from ridbook.deadlines.tasks import send_deadline_reminders
from ridbook.notifications.models import Letter
from ridbook.prosecution.models import Application, DocketTask
from ridbook.protection import services
from ridbook.protection.choices import EventKind
from ridbook.protection.models import FeeDueRecord
from ridbook.protection.tests.conftest import YEAR_FEE, decided_rid

pytestmark = pytest.mark.django_db


def _before(user: Any, today: date, params: dict[str, Any]) -> list[Any]:
    """The page's list as the providers compute it: every deadline, filtered in Python."""
    scope = params.get("scope") or Scope.ORGANIZATION
    every = deadlines_for(user, today, scope, computed=True)
    query = Query(**{k: v for k, v in params.items() if k != "scope"})
    return sorted(_filtered(every, query, today), key=sort_key(today))


@pytest.fixture
def portfolio(officer, personas, org_tree, invention):
    """Three inventions filed a year apart, a design in its last year, and an application with open docket tasks of two owners and none."""
    documents = [invention]
    for n, filed in enumerate((date(2020, 5, 20), date(2021, 3, 2)), start=2):
        rid = decided_rid(officer, org_tree, title=f"Способ {n}")
        documents.append(
            services.document_create(
                actor=officer, rid=rid, kind="invention", number=f"270000{n}", filing_date=filed, granted_on=filed
            )
        )
    design = decided_rid(officer, org_tree, kind="industrial_design", title="Корпус прибора")
    documents.append(  # its term ends 31.08.2023: the renewal is due in the portfolio's days
        services.document_create(
            actor=officer,
            rid=design,
            kind="industrial_design",
            number="140001",
            filing_date=date(2018, 9, 1),
            granted_on=date(2019, 3, 1),
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
def test_the_page_gives_what_the_providers_give(officer, secretary, portfolio, shift, params):
    _documents, fee = portfolio
    today = fee.due_on + timedelta(days=shift)
    for user in (officer, secretary):
        expected = _before(user, today, params)
        found = deadlines_filtered(user, today, params)
        assert len(found.items) == len(expected)
        assert [d.key for d in found.items] == [d.key for d in expected]
        assert [d.key for d in found.items[1:3]] == [d.key for d in expected[1:3]]
        every = deadlines_for(user, today, found.scope, computed=True)
        assert found.kinds == sorted({(d.source, str(d.kind)) for d in every}, key=lambda pair: pair[1])
        owners = {(str(d.owner.user_id), d.owner.name) for d in every if d.owner}
        assert found.owners == sorted(owners, key=lambda pair: pair[1])
    if not params and shift == -10:  # the case is not empty: each stored provider has its deadlines in it
        assert {"protection.fees", "prosecution.docket"} <= {
            d.source for d in deadlines_filtered(officer, today, {}).items
        }
        assert "protection.upkeep" in {d.source for d in deadlines_filtered(secretary, today, {}).items}


def test_the_page_filters_by_owner_and_dates(officer, personas, portfolio):
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


def _fields(d: Any) -> tuple[Any, ...]:
    return (d.key, d.due, str(d.title), d.state, d.owner, d.organization_id, str(d.organization), str(d.rule))


def _more(d: Any) -> tuple[Any, ...]:
    return (d.source, str(d.kind), d.url, d.rid_id, d.rid_number, d.escalate, d.extra)


@pytest.mark.parametrize("shift", [-100, -10, 0, 20, 200])
def test_the_stored_rows_equal_what_the_providers_compute(personas, org_tree, portfolio, shift):
    _documents, fee = portfolio
    today = fee.due_on + timedelta(days=shift)
    refresh_all(today)
    root = get_user_model().objects.create_superuser("root", "root@example.org", "root-password-1")
    stored = set(stored_providers())
    users = [*personas.values(), root]
    for user in users:
        for scope in Scope:
            for language in ("ru", "en"):
                with translation.override(language):
                    computed = [d for d in deadlines_for(user, today, scope, computed=True) if d.source in stored]
                    found = [d for d in deadlines_for(user, today, scope) if d.source in stored]
                assert [_fields(d) for d in found] == [_fields(d) for d in computed], (user, scope, language)
                assert [_more(d) for d in found] == [_more(d) for d in computed]
    # the table holds exactly what the providers compute for someone who sees everything
    every = {d.key for d in deadlines_for(root, today, Scope.ORGANIZATION, computed=True) if d.source in stored}
    assert set(StoredDeadline.objects.values_list("key", flat=True)) == every
    if shift == -10:
        assert {d.split(":")[0] for d in every} == stored


def _keys(user: Any, today: date, source: str) -> set[str]:
    return {d.key for d in deadlines_for(user, today) if d.source == source}


def _stored_keys(document: Any) -> set[str]:
    return set(StoredDeadline.objects.filter(anchor=document.pk).values_list("key", flat=True))


def test_each_write_refreshes_its_documents_rows_at_once(officer, secretary, invention):
    fee = FeeDueRecord.objects.get(document=invention, number=5)
    today = fee.due_on - timedelta(days=10)
    key = f"protection.fees:fee:{fee.pk}"
    upkeep = f"protection.upkeep:document:{invention.pk}:{today.year}"
    assert key in _keys(officer, today, "protection.fees")  # the first reader refreshes the day
    assert upkeep in _keys(secretary, today, "protection.upkeep")

    # a fee paid: its row is gone at once, the next fee's is not there (beyond the horizon)
    services.payment_record(actor=officer, due=fee, paid_on=fee.due_on, amount=YEAR_FEE, order_number="1")
    assert key not in _stored_keys(invention)
    assert key not in _keys(officer, today, "protection.fees")

    # the commission decides not to keep it: the upkeep row and the year's fees go
    fee6 = FeeDueRecord.objects.get(document=invention, number=6)
    later = fee6.due_on - timedelta(days=10)
    assert f"protection.fees:fee:{fee6.pk}" in _keys(officer, later, "protection.fees")
    services.upkeep_decide(actor=secretary, document=invention, year=later.year, keep=False, on=later)
    assert _stored_keys(invention) == set()
    services.upkeep_decide(actor=secretary, document=invention, year=later.year, keep=True, on=later)
    assert _stored_keys(invention) == {f"protection.fees:fee:{fee6.pk}"}

    # a schedule re-computed with other dates moves the row at once
    FeeDueRecord.objects.filter(pk=fee6.pk).update(due_on=fee6.due_on - timedelta(days=3))  # a stale schedule
    services.refresh_schedule(invention, actor=officer)
    row = StoredDeadline.objects.get(key=f"protection.fees:fee:{fee6.pk}")
    assert row.due == FeeDueRecord.objects.get(pk=fee6.pk).due_on == fee6.due_on

    # surrendered: nothing of the document is due any more; a lapse likewise
    services.event_record(actor=officer, document=invention, kind=EventKind.SURRENDERED, on=fee.due_on)
    assert _stored_keys(invention) == set()
    assert not _keys(officer, later, "protection.fees") & {f"protection.fees:fee:{fee6.pk}"}


def test_a_lapse_and_a_restoration_refresh_the_fees(officer, invention):
    fee = FeeDueRecord.objects.get(document=invention, number=5)
    in_grace = fee.due_on + timedelta(days=10)
    key = f"protection.fees:fee:{fee.pk}"
    assert key in _keys(officer, in_grace, "protection.fees")
    assert StoredDeadline.objects.get(key=key).due == fee.grace_until
    assert services.lapse_unpaid(today=fee.grace_until + timedelta(days=1)) == [invention.pk]
    assert key not in _stored_keys(invention)
    services.event_record(actor=officer, document=invention, kind=EventKind.RESTORED, on=fee.grace_until)
    assert key in _stored_keys(invention)


def test_the_daily_job_run_twice_writes_each_letter_once(
    officer, personas, org_tree, portfolio, django_capture_on_commit_callbacks
):
    from ridbook.testing.factories import persona

    persona(Role.IP_HEAD, org_tree["university"], username="ip-head")
    _documents, fee = portfolio
    today = fee.due_on - timedelta(days=7)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        first = send_deadline_reminders(today.isoformat())
    letters = Letter.objects.count()
    assert first > 0 and letters >= first
    assert {"deadline_reminder", "deadline_overdue"} <= set(Letter.objects.values_list("kind", flat=True))
    assert len(mail.outbox) == first  # sent after the job (in-process without a broker)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_deadline_reminders(today.isoformat()) == 0
    assert len(mail.outbox) == first
    assert Letter.objects.count() == letters
    keys = Letter.objects.filter(kind="deadline_reminder").values_list("event", "recipient_key")
    assert len(set(keys)) == len(keys)
