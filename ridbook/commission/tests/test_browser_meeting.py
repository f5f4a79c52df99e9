"""Real browser: a whole meeting — plan → agenda → notices → attendance → votes → dissent → signatures → approver.

Set RIDBOOK_SCREENSHOTS=<dir> to keep screenshots of the meeting page.
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from ridbook.accounts.roles import Role
from ridbook.commission.models import Meeting
from ridbook.registry.models import Rid
from ridbook.registry.tests.test_browser_notice import login, logout, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def says(page, text: str) -> None:
    page.wait_for_selector(f"[data-testid=message]:has-text('{text}')")


def test_a_whole_meeting_in_the_browser(page, live_server, personas, commission, accepted):
    base = live_server.url
    secretary, chair = personas[Role.COMMISSION_SECRETARY], personas[Role.COMMISSION_CHAIR]

    # the secretary plans the meeting and builds the agenda from the queue
    login(page, base, secretary.username)
    page.click("nav a:has-text('Комиссия по ИС')")
    page.click(f"a:has-text('{commission.title}')")
    page.wait_for_selector(f"[data-testid=queue] :has-text('{accepted.number}')")
    page.fill("[data-testid=schedule-form] input[name=date]", timezone.localdate().isoformat())
    page.fill("[data-testid=schedule-form] input[name=time]", "15:00")
    page.click("[data-testid=schedule-form] button")
    says(page, "назначено")
    meeting = Meeting.objects.get(commission=commission)
    page.click("[data-testid=agenda-from-queue]")
    says(page, "В повестку включено вопросов: 1")
    page.wait_for_selector(f"[data-testid=item-1] h3:has-text('{accepted.title}')")
    page.select_option("[data-testid=expert-select-1]", str(personas[Role.EXPERT].pk))
    page.click("[data-testid=item-1] button:has-text('Пригласить эксперта')")
    says(page, "приглашён экспертом")

    # notices: the meeting is today, so they are late — the system says so and asks to confirm
    assert "уведомить нужно не позднее чем за 7 рабочих дней" in page.inner_text("[data-testid=notice-warning]")
    page.click("[data-testid=notices] button:has-text('Разослать')")
    page.wait_for_selector("[data-testid=message].error:has-text('Подтвердите отправку с опозданием')")
    page.check("[data-testid=confirm-late]")
    page.click("[data-testid=notices] button:has-text('Разослать')")
    says(page, "Уведомления разосланы")

    # attendance: member5 is absent without good reason; quorum 6 of 7
    page.click("button:has-text('Открыть заседание')")
    says(page, "Заседание открыто")
    for row in page.query_selector_all("[data-testid=attendance] tr[data-member]"):
        value = "unexcused" if row.get_attribute("data-member") == "member5" else "present"
        row.query_selector(f"input[value={value}]").check()
    page.click("[data-testid=save-attendance]")
    says(page, "Кворум есть: присутствуют 6 из 7")

    # the proposal and the open vote of the members present
    page.fill("[data-testid=proposal-1] textarea[name$=heard]", "Доклад автора о способе контроля износа")
    page.select_option("[data-testid=proposal-1] select[name$=outcome]", "file")
    page.select_option("[data-testid=proposal-1] select[name$=protection_form]", "invention")
    page.click("[data-testid=proposal-1] button")
    says(page, "проект решения записан")
    assert page.query_selector("[data-testid=votes-1] tr[data-member=member5]") is None  # absent: not in the grid
    for row in page.query_selector_all("[data-testid=votes-1] tr[data-member]"):
        choice = "against" if row.get_attribute("data-member") == "member2" else "for"
        row.query_selector(f"input[value={choice}]").check()
    page.click("[data-testid=save-votes-1]")
    says(page, "голоса записаны (6)")
    assert "Решение принято: «за» 5, «против» 1" in page.inner_text("[data-testid=tally-1]")
    page.click("[data-testid=close]")
    page.wait_for_selector("[data-testid=meeting-status]:has-text('протокол на подписи')")
    logout(page)

    # member2 writes a dissenting opinion before the protocol is signed
    login(page, base, "member2")
    page.goto(f"{base}/commission/meetings/{meeting.pk}/")
    page.click("[data-testid=item-1] summary")
    page.fill("[data-testid=dissent-form-1] textarea", "Достаточно полезной модели: дешевле и быстрее.")
    page.click("[data-testid=dissent-form-1] button")
    says(page, "Особое мнение приложено")
    logout(page)

    # the chair and the secretary sign: the protocol is locked and waits for the approver
    login(page, base, chair.username)
    page.goto(f"{base}/commission/meetings/{meeting.pk}/")
    page.click("[data-testid=sign]")
    says(page, "Протокол подписан")
    logout(page)
    login(page, base, secretary.username)
    page.goto(f"{base}/commission/meetings/{meeting.pk}/")
    page.click("[data-testid=sign]")
    page.wait_for_selector("[data-testid=signed]")
    assert "ждёт резолюции утверждающего" in page.inner_text("[data-testid=item-1]")
    assert (
        page.query_selector("[data-testid=save-votes-1]") is None and page.query_selector("[data-testid=sign]") is None
    )
    logout(page)
    assert Rid.objects.get(pk=accepted.pk).status == "accepted"

    # the approver approves the decision: it takes effect on the RID
    login(page, base, personas[Role.APPROVER].username)
    page.click("nav a:has-text('Комиссия по ИС')")
    page.click("[data-testid=awaiting] a")
    page.check("[data-testid=resolve] input[value=approved]")
    page.click("[data-testid=resolve] button")
    says(page, "Резолюция: решение комиссии утверждено")
    page.wait_for_selector("[data-testid=item-1] :has-text('Решение вступило в силу')")
    screenshot(page, "meeting-signed")
    rid = Rid.objects.get(pk=accepted.pk)
    assert (rid.status, rid.protection_form, rid.rights_holder) == ("filing", "invention", "organization")
    with page.expect_download() as download:
        page.click("[data-testid=protocol-docx]")
    assert download.value.suggested_filename.endswith(".docx")
