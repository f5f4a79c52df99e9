"""Real browser (Debian's chromium via Playwright): the IP officer opens the register, makes a copy (numbered),
records its return, closes the year's inventory and downloads the act."""

from __future__ import annotations

import pytest
from django.utils import timezone
from docx import Document

from ridbook.registry.tests.test_browser_notice import login
from ridbook.tradesecret.models import JournalEntry

from .conftest import make_regime

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_ip_officer_keeps_the_register(page, live_server, officer, org_tree):
    regime = make_regime(officer, org_tree)
    base = live_server.url
    login(page, base, officer.username)
    page.click("nav a:has-text('Коммерческая тайна')")
    page.wait_for_selector(f"[data-testid=register-row][data-number='{regime.rid.number}']")
    assert page.inner_text("[data-testid=register-row] [data-testid=access-count]") == "1"
    page.click("[data-testid=regime-link]")
    page.wait_for_selector("[data-testid=marking]:has-text('КОММЕРЧЕСКАЯ ТАЙНА')")

    form = page.locator("[data-testid=copy-form]")
    form.locator("select[name=issued_to]").select_option(str(officer.pk))
    form.locator("input[name=purpose]").fill("испытания на полигоне")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("[data-testid=message]:has-text('Изготовлен экземпляр № 1')")
    row = page.locator("[data-testid=copy-row][data-number='1']")
    assert "выдана" in row.locator("[data-testid=copy-state]").inner_text()
    with page.expect_download() as download:
        page.click("[data-testid=copy-docx-1]")
    document = Document(str(download.value.path()))
    assert "Экземпляр № 1" in document.paragraphs[0].text

    page.locator("[data-testid=return-form-1] button").click()
    page.wait_for_selector("[data-testid=message]:has-text('Возврат экземпляра № 1 записан')")
    assert "возвращена" in page.inner_text("[data-testid=copy-row][data-number='1'] [data-testid=copy-state]")
    assert list(JournalEntry.objects.filter(regime=regime, copy_number=1).values_list("action", flat=True)) == [
        "copy",
        "document",
        "copy_return",
    ]

    page.goto(f"{base}/tradesecret/")
    page.click("[data-testid=inventories-link]")
    open_form = page.locator("[data-testid=inventory-open-form]")
    open_form.locator("select[name=organization]").select_option(str(org_tree["university"].pk))
    open_form.locator("input[name=year]").fill(str(timezone.localdate().year))
    open_form.locator("button[type=submit]").click()
    page.wait_for_selector(f"[data-testid=entry-row][data-number='{regime.rid.number}']")
    page.click("[data-testid=entry-save]")
    page.wait_for_selector("[data-testid=message]:has-text('Строка учёта сохранена')")
    page.fill("[data-testid=close-form] input[name=act_number]", "12")
    page.click("[data-testid=close-form] button[type=submit]")
    page.wait_for_selector("[data-testid=inventory-closed]:has-text('Акт № 12')")
    with page.expect_download() as download:
        page.click("[data-testid=act-download]")
    act = Document(str(download.value.path()))
    assert act.paragraphs[0].text.startswith("КОММЕРЧЕСКАЯ ТАЙНА")
    assert "АКТ № 12" in "\n".join(p.text for p in act.paragraphs)
