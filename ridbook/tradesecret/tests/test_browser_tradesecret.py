"""Real browser (Debian's chromium via Playwright): a listed user opens the content and it is journaled; an unlisted
IP officer and an administrator are refused on the page, the API, search and export; the division head presents a
RID from its page.

Set RIDBOOK_SCREENSHOTS=<dir> to keep screenshots.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from openpyxl import load_workbook

from ridbook.accounts.roles import Role
from ridbook.registry.models import Rid
from ridbook.testing.factories import PASSWORD
from ridbook.tradesecret.models import JournalEntry, Regime
from ridbook.tradesecret.tests.conftest import SECRET, make_rid

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def screenshot(page, name: str) -> None:
    target = os.environ.get("RIDBOOK_SCREENSHOTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(target) / f"{name}.png"), full_page=True)


def login(page, base: str, user) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_selector("h1:has-text('Мои задачи и сроки')")


def test_a_listed_user_opens_the_content_and_it_is_journaled(page, live_server, secret):
    base = live_server.url
    login(page, base, secret.keeper)
    page.goto(f"{base}/registry/{secret.rid.pk}/")
    banner = page.wait_for_selector("[data-testid=trade-secret-banner]")
    assert "КОММЕРЧЕСКАЯ ТАЙНА. Обладатель:" in banner.inner_text()
    page.click("[data-testid=open-content]")
    abstract = page.wait_for_selector("[data-testid=content-abstract]")
    assert SECRET in abstract.inner_text()
    assert "КОММЕРЧЕСКАЯ ТАЙНА" in page.inner_text("[data-testid=marking]")
    screenshot(page, "tradesecret-content")
    entry = JournalEntry.objects.filter(user_id_value=secret.keeper.pk).order_by("-id").first()
    assert (entry.action, entry.granted, entry.channel) == ("view", True, "page")
    assert entry.remote_address  # from where

    # the browser's own print of the page (Ctrl+P) is journaled as a print
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    prints = JournalEntry.objects.filter(user_id_value=secret.keeper.pk, action="print", channel="page.print")
    for _attempt in range(50):
        if prints.exists():
            break
        page.wait_for_timeout(100)
    assert prints.filter(granted=True).count() == 1
    # the print version: the marking first, the content, journaled
    with page.context.expect_page() as opened:
        page.click("[data-testid=content-print]")
    printed = opened.value
    printed.wait_for_selector("[data-testid=print-abstract]")
    assert printed.inner_text("[data-testid=print-marking]").startswith("КОММЕРЧЕСКАЯ ТАЙНА. Обладатель:")
    assert SECRET in printed.inner_text("[data-testid=print-abstract]")
    assert JournalEntry.objects.filter(user_id_value=secret.keeper.pk, action="print", channel="print").count() == 1


@pytest.mark.parametrize("role", [Role.IP_OFFICER, Role.ADMINISTRATOR])
def test_an_unlisted_officer_and_an_administrator_are_refused_everywhere(page, live_server, secret, role):
    base = live_server.url
    user = secret.users[role]
    login(page, base, user)
    rid = secret.rid
    page.goto(f"{base}/registry/{rid.pk}/")
    page.wait_for_selector("[data-testid=trade-secret-banner] [data-testid=content-restricted]")
    assert SECRET not in page.content()
    assert page.locator("[data-testid=open-content]").count() == 0
    screenshot(page, f"tradesecret-refused-page-{role.value}")

    response = page.goto(f"{base}/tradesecret/rid/{rid.pk}/content/")
    assert response.status == 403
    assert "вас нет в списке допуска" in page.inner_text("[data-testid=content-refused]")
    assert SECRET not in page.content()

    api = page.request.get(f"{base}/api/v1/rids/{rid.pk}/")
    assert api.status == 200 and api.json()["content_restricted"] is True and api.json()["abstract"] is None
    assert page.request.get(f"{base}/api/v1/trade-secrets/rids/{rid.pk}/content/").status == 403

    page.goto(f"{base}/registry/?q=аэрогель")
    assert page.locator(f"text={rid.number}").count() == 0  # not found by a word of its content
    page.goto(f"{base}/registry/?q=мембраны")
    page.wait_for_selector(f"text={rid.number}")  # found by its title
    assert SECRET not in page.content()

    export = page.request.get(f"{base}/registry/export/?format=xlsx")
    sheet = load_workbook(io.BytesIO(export.body()), read_only=True).active
    cells = " ".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row if c)
    assert rid.number in cells and SECRET not in cells

    refused = JournalEntry.objects.filter(user_id_value=user.pk, granted=False)
    assert {"page", "api"} <= set(refused.values_list("channel", flat=True))


def test_the_division_head_presents_a_rid_from_its_page(page, live_server, personas, org_tree):
    rid, _doc = make_rid(personas, org_tree["university"])
    Rid.objects.filter(pk=rid.pk).update(status="trade_secret")
    base = live_server.url
    login(page, base, personas[Role.DIVISION_HEAD])
    page.goto(f"{base}/registry/{rid.pk}/")
    page.click("[data-testid=present-link]")
    page.fill("#id_commercial_value", "снижает себестоимость на 30 %")
    page.click("[data-testid=present]")
    page.wait_for_selector("[data-testid=regime-state]:has-text('представлен научно-техническому совету')")
    regime = Regime.objects.get(rid=rid)
    assert regime.presented_by == personas[Role.DIVISION_HEAD]
    assert Rid.objects.get(pk=rid.pk).abstract == ""
    screenshot(page, "tradesecret-presented")


def test_the_council_and_the_approval_with_the_access_list_on_the_regime_page(page, live_server, personas, org_tree):
    from django.utils import timezone

    from ridbook.tradesecret.services import regime as services

    rid, _doc = make_rid(personas, org_tree["university"])
    services.present(actor=personas[Role.DIVISION_HEAD], rid=rid)
    base = live_server.url
    login(page, base, personas[Role.IP_OFFICER])
    page.goto(f"{base}/tradesecret/rid/{rid.pk}/")
    page.select_option("#id_council_outcome", "protect")
    page.fill("#id_council_protocol_number", "НТС-7")
    page.click("[data-testid=council-form] button[type=submit]")
    page.wait_for_selector("[data-testid=regime-state]:has-text('решение совета ждёт утверждения')")

    login(page, base, personas[Role.APPROVER])
    page.goto(f"{base}/tradesecret/rid/{rid.pk}/")
    form = page.locator("[data-testid=approve-form]")
    for box in form.locator("input[name=access_list]").all():  # the provisional list is checked: clear it
        box.uncheck()
    form.locator(f"input[name=access_list][value='{personas[Role.EXPERT].pk}']").check()
    page.fill("#id_copy_limit", "2")
    page.fill("#id_holder_address", "Томск, пр. Ленина, 30")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("[data-testid=regime-state]:has-text('режим коммерческой тайны действует')")
    rows = page.locator("[data-testid=grant-row]")
    assert "expert" in [rows.nth(i).get_attribute("data-user") for i in range(rows.count())]
    screenshot(page, "tradesecret-approved")

    # add the secretary, then remove the expert
    page.select_option("[data-testid=grant-form] #id_user", str(personas[Role.COMMISSION_SECRETARY].pk))
    page.click("[data-testid=grant-form] button[type=submit]")
    page.wait_for_selector("[data-testid=grant-row][data-user=commission_secretary]")
    page.click("[data-testid=grant-row][data-user=expert] [data-testid=revoke]")
    page.wait_for_selector(".messages :text('Допуск прекращён.')")
    regime = Regime.objects.get(rid=rid)
    today = timezone.localdate()
    assert regime.state == "in_force" and regime.copy_limit == 2
    expert = regime.grants.get(user=personas[Role.EXPERT])
    assert (expert.removed_on, expert.removed_by) == (today, personas[Role.APPROVER])
    assert (
        regime.grants.get(user=personas[Role.COMMISSION_SECRETARY], removed_on=None).added_by == personas[Role.APPROVER]
    )
