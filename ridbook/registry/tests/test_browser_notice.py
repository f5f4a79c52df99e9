"""Real browser (Debian's chromium via Playwright): the notice goes author → IP officer → back → author → again.

Set RIDBOOK_SCREENSHOTS=<dir> to keep screenshots of the list and the RID page.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ridbook.accounts.roles import Role
from ridbook.registry.choices import RidStatus
from ridbook.registry.models import Rid
from ridbook.registry.services import person_save
from ridbook.testing.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


REASON = "Реферат не раскрывает функции программы: допишите, что она умеет."


def login(page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_selector("h1:has-text('Мои задачи и сроки')")


def logout(page) -> None:
    page.click("header button:has-text('Выйти')")
    page.wait_for_selector("#id_username")


def status_is(page, label: str) -> None:
    page.wait_for_selector(f"[data-testid=rid-status]:has-text('{label}')")


def screenshot(page, name: str) -> None:
    target = os.environ.get("RIDBOOK_SCREENSHOTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(target) / f"{name}.png"), full_page=True)


def test_notice_drafted_submitted_returned_fixed_and_resubmitted(page, live_server, personas, org_tree):
    author, officer = personas[Role.AUTHOR], personas[Role.IP_OFFICER]
    person_save(
        actor=author,
        last_name="Громов",
        first_name="Денис",
        middle_name="Ильич",
        organization=org_tree["department"],
        snils="112-233-445 95",
        user=author,
    )
    base = live_server.url

    # (a) the author drafts the notice, adds themself as the author at 100 % and submits it
    login(page, base, author.username)
    page.click("nav >> text=Реестр РИД")
    page.click("[data-testid=new-notice]")
    page.select_option("#id_kind", "invention")
    page.wait_for_selector("[data-testid=not-protected-invention]:has-text('программы для ЭВМ как таковые')")
    page.select_option("#id_kind", "software")
    page.wait_for_selector("[data-testid=not-protected-invention]", state="hidden")
    page.fill("#id_okpd2", "62.01")
    page.locator("#id_okpd2").blur()
    page.wait_for_selector("#err-okpd2 li:has-text('Код ОКПД2 «62.01» должен быть одной подкатегорией')")
    page.fill("#id_okpd2", "62.01.11.000")
    page.locator("#id_okpd2").blur()
    page.wait_for_selector("#err-okpd2 li", state="detached")
    page.fill("#id_title", "Программа учёта износа рельсов")
    page.select_option("#id_organization", label="Кафедра")
    page.fill("#id_purpose", "Учёт износа рельсов по данным путеизмерителя")
    page.fill("#id_keywords", "рельс, износ")
    page.fill("#id_abstract", "Программа строит профиль износа.")
    page.wait_for_selector("[data-testid=abstract-counter]:has-text('32 / 900')")
    page.click("button:has-text('Сохранить черновик и перейти к авторам')")

    page.wait_for_selector("h1:has-text('Авторы РИД')")
    page.fill("#person-q", "гром")
    page.click("[data-testid=person-result]:has-text('Громов Денис Ильич') >> text=+ автор")
    row = page.locator("[data-testid=author-edit-row]")
    row.wait_for()
    assert "***-***-445 95" in page.inner_text("[data-testid=person-results]")
    row.locator("input[name=coefficient]").fill("100")
    row.locator("textarea[name=contribution]").fill("алгоритм и реализация")
    page.wait_for_selector("[data-testid=coefficient-sum]:has-text('Сумма коэффициентов: 100 %')")
    page.click("button:has-text('Сохранить авторов')")
    page.wait_for_selector("[data-testid=author-row]:has-text('Громов Денис Ильич')")
    page.click("button:has-text('Подать уведомление')")
    status_is(page, RidStatus.SUBMITTED.label)
    rid = Rid.objects.get()
    logout(page)

    # (b) the IP officer receives the notice and returns it with a reason
    login(page, base, officer.username)
    page.goto(f"{base}/registry/{rid.pk}/")
    page.click("button:has-text('Принять к проверке')")
    status_is(page, RidStatus.UNDER_CHECK.label)
    page.click("button:has-text('Вернуть на доработку')")
    page.wait_for_selector("#err-reasons li:has-text('Укажите причины возврата: что не так и что нужно исправить.')")
    page.fill("#id_reasons", REASON)
    page.click("button:has-text('Вернуть на доработку')")
    status_is(page, RidStatus.RETURNED.label)
    logout(page)

    # (c) the author sees the reason, fixes the notice and submits it again
    login(page, base, author.username)
    page.click("a:has-text('Доработать уведомление')")  # the home page's task links to the RID
    page.wait_for_selector(f"[data-testid=return-reasons]:has-text('{REASON}')")
    page.click("a:has-text('Изменить уведомление')")
    page.fill("#id_abstract", "Программа строит профиль износа, прогнозирует замену рельсов и печатает отчёт.")
    page.click("button:has-text('Сохранить')")
    page.wait_for_selector("[data-testid=tab-summary]:has-text('прогнозирует замену рельсов')")
    page.click("button:has-text('Подать уведомление')")
    status_is(page, RidStatus.SUBMITTED.label)
    assert page.locator("[data-testid=return-reasons]").count() == 0

    screenshot(page, "rid_page")
    page.click("a[data-tab=history]")
    page.wait_for_selector(f"[data-testid=tab-history]:has-text('{REASON}')")
    page.goto(f"{base}/registry/")
    page.fill("#id_q", "космоса")  # htmx replaces only the table, and the address follows the filter
    page.wait_for_selector("[data-testid=rid-empty]")
    assert "q=" in page.url
    page.fill("#id_q", "рельса")  # «рельсов» in the title: the same lemma
    page.wait_for_selector(f"[data-testid=rid-row]:has-text('{rid.number}')")
    screenshot(page, "rid_list")
