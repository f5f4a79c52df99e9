"""The notice's letters and tasks: submitted → the IP department; returned and accepted → the authors."""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import timezone

from ridbook.deadlines.registry import deadlines_for
from ridbook.notifications.models import Letter, LetterState
from ridbook.registry import services as rs

pytestmark = pytest.mark.django_db


def test_each_step_of_the_notice_tells_the_next_person_once(
    client, draft, author, officer, coauthor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        rs.notice_submit(actor=author, rid=draft)
    assert [m.to for m in mail.outbox] == [[officer.email]]
    assert any(
        d.title.startswith(f"Проверить поданное уведомление {draft.number}")
        for d in deadlines_for(officer, timezone.localdate())
    )
    with django_capture_on_commit_callbacks(execute=True):
        rs.notice_receive(actor=officer, rid=draft)
        rs.notice_return(actor=officer, rid=draft, reasons="Нет реферата")
    returned = [m for m in mail.outbox if "возвращено" in m.subject]
    assert [m.to for m in returned] == [[author.email]]  # the co-author has no e-mail
    assert "Причины: Нет реферата" in returned[0].body
    assert Letter.objects.get(kind="notice_returned", recipient_name=coauthor.full_name).state == LetterState.NO_EMAIL
    client.force_login(officer)
    page = client.get(f"/registry/{draft.pk}/").content.decode()
    assert 'data-testid="not-notified"' in page and coauthor.full_name in page
    client.force_login(author)
    assert 'data-testid="not-notified"' not in client.get(f"/registry/{draft.pk}/").content.decode()  # IP dept only
    with django_capture_on_commit_callbacks(execute=True):
        rs.notice_submit(actor=author, rid=draft)  # a resubmission is a new event: the IP department hears again
    assert len([m for m in mail.outbox if "Подано уведомление" in m.subject]) == 2
