"""Real browser (Debian's chromium via Playwright): the IP officer opens a patent from the RID page, sees the fee
schedule and the expiry date, records a payment; a patent whose fee is unpaid past the grace period lapses when the
daily job runs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from ridbook.protection import services
from ridbook.protection.models import FeePayment
from ridbook.protection.tasks import lapse_unpaid_documents
from ridbook.registry.tests.test_browser_notice import login

from .conftest import decided_rid

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_ip_officer_pays_a_fee_and_an_unpaid_patent_lapses(page, live_server, officer, org_tree, rates):
    today = timezone.localdate()
    # the 3rd year (the first with a fee under ru-default) begins in ten days: its fee is due then
    filed = today + timedelta(days=10) - relativedelta(years=2)
    paid = services.document_create(
        actor=officer,
        rid=decided_rid(officer, org_tree, title="Способ контроля износа рельсов"),
        kind="invention",
        number="2810001",
        filing_date=filed,
        granted_on=filed + relativedelta(months=6),
    )
    # another one whose 3rd-year fee fell due eight months ago: its grace period (6 months) is over
    old = today - relativedelta(months=8) - relativedelta(years=2)
    unpaid = services.document_create(
        actor=officer,
        rid=decided_rid(officer, org_tree, title="Устройство очистки стрелок"),
        kind="invention",
        number="2810002",
        filing_date=old,
        granted_on=old + relativedelta(months=6),
    )
    expires = services.document_expiry(paid).expires_on
    base = live_server.url

    login(page, base, officer.username)
    page.goto(f"{base}/registry/{paid.rid_id}/")
    page.click("[data-testid=protection-document-link]")
    page.wait_for_selector("[data-testid=document-title]:has-text('2810001')")
    page.wait_for_selector(f"[data-testid=expires-on]:has-text('{expires:%d.%m.%Y}')")
    assert page.locator("[data-testid=fee-row]").count() == paid.fees.count() == 18
    row = page.locator("[data-testid=fee-row][data-number='3']")
    row.locator("[data-testid=pay-3]").click()
    form = page.locator("[data-testid=pay-form-3]")
    assert form.locator("input[name=amount]").input_value() == "1000.00"
    form.locator("input[name=order_number]").fill("412")
    form.locator("button:has-text('Оплатить')").click()
    page.wait_for_selector("[data-testid=fee-row][data-number='3'] [data-testid=payment]:has-text('412')")
    assert page.inner_text("[data-testid=fee-row][data-number='3'] [data-testid=fee-state]") == "уплачена"
    assert FeePayment.objects.get().due.document == paid

    assert lapse_unpaid_documents.delay().get() == 1  # the daily job
    page.goto(f"{base}/protection/{unpaid.pk}/")
    page.wait_for_selector("[data-testid=document-status]:has-text('прекратил действие: не уплачена пошлина')")
    page.wait_for_selector("[data-testid=event]:has-text('прекращение действия')")
    page.wait_for_selector("[data-testid=restoration-until]")
    page.goto(f"{base}/protection/{paid.pk}/")
    page.wait_for_selector("[data-testid=document-status]:has-text('действует')")
