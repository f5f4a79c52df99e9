"""Protection documents: the fee schedule, payments, the lapse job, restoration, upkeep decisions, holders."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from ridbook.accounts.roles import Role
from ridbook.core.errors import DomainError, PermissionDeniedError
from ridbook.organizations.selectors import organization_policy
from ridbook.protection import services
from ridbook.protection.choices import DocumentStatus, EventKind, FeeState
from ridbook.protection.deadlines import fee_deadlines, upkeep_deadlines
from ridbook.protection.models import DocumentEvent, FeeDueRecord
from ridbook.protection.rules.fees import fee_rules
from ridbook.protection.rules.terms import add_years
from ridbook.protection.tasks import lapse_unpaid_documents
from ridbook.registry.choices import RidStatus

from .conftest import YEAR_FEE, decided_rid


def _due(document, number: int) -> FeeDueRecord:
    return document.fees.get(number=number)


def test_an_inventions_fee_schedule_across_its_whole_term_is_stored_and_shown(client, officer, org_tree, rates):
    rid = decided_rid(officer, org_tree)
    filed, granted = date(2006, 3, 1), date(2009, 6, 10)
    document = services.document_create(
        actor=officer, rid=rid, kind="invention", number="2300001", filing_date=filed, granted_on=granted
    )
    rules = fee_rules(organization_policy(org_tree["department"]))
    first = rules.first_paid_year["invention"]
    expiry = services.document_expiry(document)
    assert expiry.expires_on == add_years(filed, 20)  # art. 1363, art. 192 p.3: ends on the same day 20 years later

    fees = list(document.fees.order_by("number"))
    assert [f.number for f in fees] == list(range(first, 21))  # every year of the term from the first paid one
    assert {f.amount for f in fees} == {YEAR_FEE}  # the IP department's row wins over the policy's
    assert fees[-1].period_end == expiry.expires_on
    for fee in fees:
        start = add_years(filed, fee.number - 1)
        assert fee.period_start == start
        assert fee.due_on == (granted if start <= granted else start)  # years begun before the grant: with it
        assert fee.state == FeeState.DUE
    assert rid.__class__.objects.get(pk=rid.pk).status == RidStatus.PROTECTED  # the RID follows its document

    client.force_login(officer)
    page = client.get(reverse("protection:detail", args=[document.pk])).content.decode()
    assert page.count('data-testid="fee-row"') == len(fees)
    assert f"{expiry.expires_on:%d.%m.%Y}" in page


def test_payment_inside_the_grace_period_needs_the_surcharge(officer, invention):
    due = _due(invention, 3)
    late = due.due_on + timedelta(days=10)
    assert due.due_on < late <= due.grace_until and due.surcharge == YEAR_FEE / 2

    with pytest.raises(DomainError, match="доплата"):
        services.payment_record(actor=officer, due=due, paid_on=late, amount=YEAR_FEE, order_number="15")
    due.refresh_from_db()
    assert due.state == FeeState.DUE and not due.payments.exists()  # nothing half-written

    payment = services.payment_record(
        actor=officer, due=due, paid_on=late, amount=YEAR_FEE + due.surcharge, order_number="15"
    )
    due.refresh_from_db()
    assert (due.state, payment.surcharge) == (FeeState.PAID_IN_GRACE, YEAR_FEE / 2)

    on_time = _due(invention, 4)
    services.payment_record(actor=officer, due=on_time, paid_on=on_time.due_on, amount=YEAR_FEE, order_number="16")
    on_time.refresh_from_db()
    assert on_time.state == FeeState.PAID


def test_refresh_recomputes_unpaid_rows_never_paid_ones(officer, invention, org_tree):
    paid = _due(invention, 3)
    services.payment_record(actor=officer, due=paid, paid_on=paid.due_on, amount=YEAR_FEE, order_number="1")
    services.fee_rate_add(
        actor=officer,
        organization=org_tree["university"],
        kind="invention",
        basis="year",
        first=1,
        last=25,
        amount=Decimal("2222"),
        valid_from=date(2001, 1, 1),
        source="новая тестовая строка",
    )
    assert _due(invention, 3).amount == YEAR_FEE  # paid: history
    assert _due(invention, 4).amount == Decimal("2222")
    services.refresh_schedule(invention, actor=officer)
    assert _due(invention, 3).amount == YEAR_FEE


def test_a_document_lapses_the_day_after_the_grace_period_once_and_is_restored(officer, invention):
    year3 = _due(invention, 3)
    services.payment_record(actor=officer, due=year3, paid_on=year3.due_on, amount=YEAR_FEE, order_number="1")
    year4 = _due(invention, 4)

    assert services.lapse_unpaid(today=year4.grace_until) == []  # the grace period's last day: still in force
    assert services.lapse_unpaid(today=year4.grace_until + timedelta(days=1)) == [invention.pk]
    assert services.lapse_unpaid(today=year4.grace_until + timedelta(days=2)) == []  # run twice: one event
    invention.refresh_from_db()
    event = DocumentEvent.objects.get(document=invention)
    assert (event.kind, event.on) == (EventKind.LAPSED, year4.grace_until + timedelta(days=1))
    assert invention.status == DocumentStatus.LAPSED
    rules = fee_rules(organization_policy(invention.organization))
    assert (
        invention.restoration_until == event.restoration_until == add_years(year4.grace_until, rules.restoration_years)
    )
    assert _due(invention, 4).state == FeeState.UNPAID
    with pytest.raises(DomainError, match="Льготный срок"):
        services.payment_record(
            actor=officer, due=_due(invention, 5), paid_on=date(2024, 12, 1), amount=YEAR_FEE, order_number="x"
        )

    restored_on = event.on + timedelta(days=60)
    services.event_record(actor=officer, document=invention, kind=EventKind.RESTORED, on=restored_on)
    invention.refresh_from_db()
    assert (invention.status, invention.restoration_until) == (DocumentStatus.RESTORED, None)
    year4 = _due(invention, 4)
    assert year4.state == FeeState.DUE
    services.payment_record(
        actor=officer, due=year4, paid_on=restored_on, amount=YEAR_FEE + year4.surcharge, order_number="2"
    )
    assert _due(invention, 4).state == FeeState.PAID_IN_GRACE


def test_the_daily_task_is_scheduled_and_runs(settings, officer, invention):
    assert (
        settings.CELERY_BEAT_SCHEDULE["protection-lapses"]["task"] == "ridbook.protection.tasks.lapse_unpaid_documents"
    )
    assert lapse_unpaid_documents.delay().get() == 1  # years of 2021… are unpaid and past their grace today
    assert lapse_unpaid_documents.delay().get() == 0
    assert invention.events.count() == 1


def test_a_document_decided_not_to_keep_is_not_reminded(officer, secretary, invention):
    due = _due(invention, 5)
    today = due.due_on - timedelta(days=10)
    assert any(d.url.endswith(f"/{invention.pk}/") for d in fee_deadlines(officer, today))
    assert any(d.source == "protection.upkeep" for d in upkeep_deadlines(secretary, today))

    services.upkeep_decide(actor=secretary, document=invention, year=due.due_on.year, keep=False, on=today)

    assert not [d for d in fee_deadlines(officer, today) if d.url.endswith(f"/{invention.pk}/")]
    assert not [d for d in upkeep_deadlines(secretary, today) if d.url.endswith(f"/{invention.pk}/")]
    assert _due(invention, 5).state == FeeState.NOT_NEEDED
    assert all(f.state == FeeState.NOT_NEEDED for f in invention.fees.filter(due_on__year__gte=due.due_on.year))
    services.refresh_schedule(invention, actor=officer)  # a refresh keeps the decision
    assert _due(invention, 6).state == FeeState.NOT_NEEDED


def test_a_maintenance_decision_of_the_commission_is_attached_to_the_year(officer, secretary, invention):
    from ridbook.commission.choices import ItemKind, Outcome

    class Meeting:
        label = "№ 3 от 10.02.2025"
        date = date(2025, 2, 10)

    class Item:
        kind, adopted, outcome, order, rid_id = ItemKind.MAINTENANCE, True, Outcome.LET_LAPSE, 2, invention.rid_id
        meeting = Meeting()

    services.upkeep_from_agenda_item(Item(), secretary)
    decision = invention.upkeep.get()
    assert (decision.year, decision.keep, decision.label) == (2025, False, "протокол № 3 от 10.02.2025, вопрос 2")


def test_holders_shares_sum_to_100_and_inn_ogrn_are_checked(officer, invention):
    with pytest.raises(DomainError, match="100"):
        services.holders_set(actor=officer, document=invention, holders=[services.HolderInput(share=Decimal("60"))])
    with pytest.raises(DomainError, match="ИНН"):
        services.holders_set(
            actor=officer,
            document=invention,
            holders=[
                services.HolderInput(share=Decimal("50")),
                services.HolderInput(share=Decimal("50"), kind="other", name="ООО «Партнёр»", inn="7707083894"),
            ],
        )
    services.holders_set(
        actor=officer,
        document=invention,
        holders=[
            services.HolderInput(share=Decimal("50")),
            services.HolderInput(
                share=Decimal("50"), kind="other", name="ПАО Сбербанк", inn="7707083893", ogrn="1027700132195"
            ),
        ],
    )
    assert sorted(invention.holders.values_list("share", flat=True)) == [Decimal("50"), Decimal("50")]


def test_only_the_ip_department_records_payments_and_events(personas, invention):
    due = _due(invention, 3)
    for role in (Role.AUTHOR, Role.COMMISSION_SECRETARY, Role.AUDITOR):
        with pytest.raises(PermissionDeniedError):
            services.payment_record(
                actor=personas[role], due=due, paid_on=due.due_on, amount=YEAR_FEE, order_number="1"
            )
        with pytest.raises(PermissionDeniedError):
            services.event_record(actor=personas[role], document=invention, kind="surrendered", on=date(2024, 1, 1))
    assert not due.payments.exists() and not invention.events.exists()


def test_the_design_renewal_moves_its_expiry(officer, org_tree, rates):
    rid = decided_rid(officer, org_tree, kind="industrial_design", title="Корпус прибора")
    document = services.document_create(
        actor=officer, rid=rid, kind="industrial_design", number="130001", filing_date=date(2018, 4, 2)
    )
    before = services.document_expiry(document)
    services.event_record(actor=officer, document=document, kind=EventKind.RENEWED, on=date(2023, 3, 1))
    document.refresh_from_db()
    after = services.document_expiry(document)
    assert document.renewals == 1 and after.expires_on == add_years(before.expires_on, 5)
    assert after.latest_possible == before.latest_possible
    assert document.fees.count() == 2  # two five-year periods now


def test_the_secretary_records_the_decision_on_the_page(client, secretary, invention):
    client.force_login(secretary)
    page = client.get(reverse("protection:detail", args=[invention.pk])).content.decode()
    assert 'data-testid="upkeep-form"' in page and 'data-testid="pay-form-' not in page
    response = client.post(
        reverse("protection:upkeep", args=[invention.pk]),
        {"year": "2024", "keep": "1", "on": "2024-02-01", "label": "протокол № 1"},
    )
    assert response.status_code == 302
    assert list(invention.upkeep.values_list("year", "keep", "label")) == [(2024, True, "протокол № 1")]


def test_a_patent_whose_term_ended_expires_once(officer, org_tree, rates):
    rid = decided_rid(officer, org_tree, kind="industrial_design", title="Футляр")
    document = services.document_create(
        actor=officer, rid=rid, kind="industrial_design", number="90001", filing_date=date(2010, 6, 1)
    )
    for fee in document.fees.all():
        services.payment_record(actor=officer, due=fee, paid_on=fee.due_on, amount=Decimal("3000"), order_number="1")
    end = services.document_expiry(document).expires_on
    assert services.expire_ended(today=end) == []
    assert services.expire_ended(today=end + timedelta(days=1)) == [document.pk]
    assert services.expire_ended(today=end + timedelta(days=2)) == []
    document.refresh_from_db()
    assert document.status == DocumentStatus.EXPIRED
    assert list(document.events.values_list("kind", "on")) == [(EventKind.EXPIRED, end + timedelta(days=1))]
