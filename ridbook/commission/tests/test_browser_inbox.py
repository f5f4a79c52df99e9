"""Real browser: the notice and a meeting again, and at each step the next person finds his task on his home page
(«Мои задачи и сроки») and exactly one letter in the outbox — nobody is told where to look."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from django.utils import timezone

from ridbook.accounts.roles import Role
from ridbook.commission import services as cs
from ridbook.commission.models import Meeting
from ridbook.commission.tests.conftest import seats
from ridbook.registry import services as rs
from ridbook.registry.tests.test_browser_notice import login, logout, status_is

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def letters_to(user, text: str = "") -> list:
    return [m for m in mail.outbox if user.email in m.to and text in m.subject]


def follow_task(page, text: str) -> None:
    """On the home page the task is there; its link leads to the work."""
    page.click(f"main table a:has-text('{text}')")


def test_each_next_person_finds_the_task_and_one_letter(page, live_server, personas, draft, commission, coauthor):
    base = live_server.url
    author, officer = personas[Role.AUTHOR], personas[Role.IP_OFFICER]
    secretary, chair = personas[Role.COMMISSION_SECRETARY], personas[Role.COMMISSION_CHAIR]
    number = draft.number

    # the author submits: the IP department gets the task and one letter
    login(page, base, author.username)
    page.goto(f"{base}/registry/{draft.pk}/")
    page.click("button:has-text('Подать уведомление')")
    status_is(page, "уведомление подано")
    logout(page)
    assert [m.subject for m in letters_to(officer)] == [f"Подано уведомление {number} «{draft.title}»"]

    login(page, base, officer.username)
    follow_task(page, f"Проверить поданное уведомление {number}")
    page.click("button:has-text('Принять к проверке')")
    status_is(page, "проверка комплектности")
    page.click("button:has-text('Принять и поставить в очередь комиссии')")
    status_is(page, "принято, в очереди на комиссию")
    # the co-author has no e-mail: the page names him as not notified
    assert coauthor.full_name in page.inner_text("[data-testid=not-notified]")
    logout(page)
    assert len(letters_to(author, "принято")) == 1
    assert len(letters_to(officer)) == 1  # his own acceptance writes him nothing

    # the secretary finds the RID waiting for the commission, plans the meeting and notifies
    login(page, base, secretary.username)
    follow_task(page, f"Решение комиссии по {number}")
    page.goto(f"{base}/commission/{commission.pk}/")
    page.fill("[data-testid=schedule-form] input[name=date]", timezone.localdate().isoformat())
    page.fill("[data-testid=schedule-form] input[name=time]", "15:00")
    page.click("[data-testid=schedule-form] button")
    meeting = Meeting.objects.get(commission=commission)
    page.click("[data-testid=agenda-from-queue]")
    page.check("[data-testid=confirm-late]")
    page.click("[data-testid=notices] button:has-text('Разослать')")
    page.wait_for_selector("[data-testid=message]:has-text('Уведомления разосланы')")
    logout(page)
    for member in commission.members.select_related("user"):
        invitations = [m for m in mail.outbox if member.user.email in m.to and "Заседание комиссии" in m.subject]
        assert len(invitations) == 1, member.user.username
        assert invitations[0].attachments[0][2].startswith("text/calendar")
    assert len(letters_to(author, "Заседание комиссии")) == 1  # the author is invited too

    # a member finds the meeting among his tasks
    login(page, base, "member2")
    page.wait_for_selector(f"main table a:has-text('Заседание комиссии {meeting.date:%d.%m.%Y} 15:00')")
    logout(page)

    # the meeting is held (attendance and votes are tested in the meeting's own browser test); the clearances
    # that filing needs came in meanwhile
    rs.state_secret_record(
        actor=officer,
        rid=draft,
        number="1",
        date=date(2026, 1, 12),
        commission="эксперт",
        outcome="no_secret_publishable",
    )
    rs.export_control_record(
        actor=officer, rid=draft, number="2", date=date(2026, 1, 13), outcome="no_similarity", conclusion="no_permits"
    )
    cs.meeting_open(actor=secretary, meeting=meeting)
    for member in commission.members.all():
        cs.attendance_mark(actor=secretary, meeting=meeting, member=member, present=True)
    item = meeting.items.get()
    cs.item_propose(actor=secretary, item=item, heard="Доклад автора", outcome="file", protection_form="invention")
    for member in seats(commission).values():
        cs.vote_cast(actor=secretary, item=item, member=member, choice="for")
    cs.meeting_close(actor=secretary, meeting=meeting)

    # the chair and the secretary each find «Подписать протокол» and one letter
    assert len(letters_to(chair, "ждёт вашей подписи")) == 1
    assert len(letters_to(secretary, "ждёт вашей подписи")) == 1
    login(page, base, chair.username)
    follow_task(page, "Подписать протокол")
    page.click("[data-testid=sign]")
    page.wait_for_selector("[data-testid=message]:has-text('Протокол подписан')")
    page.goto(f"{base}/")
    assert page.locator("main table a:has-text('Подписать протокол')").count() == 0  # done: the task is gone
    logout(page)
    login(page, base, secretary.username)
    follow_task(page, "Подписать протокол")
    page.click("[data-testid=sign]")
    page.wait_for_selector("[data-testid=signed]")
    logout(page)

    # the decision: the authors and the IP department are told once; the IP officer finds the filing task
    assert len(letters_to(author, "Решение комиссии")) == 1
    assert len(letters_to(officer, "Решение комиссии")) == 1
    login(page, base, officer.username)
    follow_task(page, f"Начать оформление прав на {number}")
    page.wait_for_selector("[data-testid=rid-status]")
    logout(page)
