"""What waits after the vote, and a meeting moved: tasks in «Мои задачи и сроки» and one letter each."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from ridbook.accounts.roles import Role
from ridbook.commission import services as cs
from ridbook.commission.rescheduling import meeting_move
from ridbook.commission.tests.test_meeting import _decide, _ready, vote_all
from ridbook.core.errors import DomainError
from ridbook.deadlines.registry import deadlines_for
from ridbook.notifications.models import Letter

pytestmark = pytest.mark.django_db


def _titles(user) -> list[str]:
    return [d.title for d in deadlines_for(user, timezone.localdate())]


def test_the_protocol_to_sign_is_a_task_and_one_letter_for_chair_and_secretary(
    meeting, accepted, secretary, chair, django_capture_on_commit_callbacks
):
    item = _ready(meeting, accepted, secretary)
    cs.item_propose(actor=secretary, item=item, outcome="file", protection_form="invention", heard="Доклад")
    vote_all(meeting, item, secretary)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        cs.meeting_close(actor=secretary, meeting=meeting)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([chair.email, secretary.email])
    assert f"Протокол {meeting.label} ждёт вашей подписи" == mail.outbox[0].subject
    assert f"Подписать протокол {meeting.label}" in _titles(chair)
    with django_capture_on_commit_callbacks(execute=True):
        cs.protocol_sign(actor=chair, meeting=meeting)  # the meeting is saved again: no second letter
    assert len(mail.outbox) == 2
    assert f"Подписать протокол {meeting.label}" not in _titles(chair)
    assert f"Подписать протокол {meeting.label}" in _titles(secretary)


def test_a_dissent_writes_to_the_approver_once(
    meeting, accepted, secretary, chair, personas, django_capture_on_commit_callbacks
):
    approver = personas[Role.APPROVER]
    with django_capture_on_commit_callbacks(execute=True):
        _decide(meeting, accepted, secretary, chair, dissent_by=personas[Role.COMMISSION_MEMBER])
    to_approver = [m for m in mail.outbox if approver.email in m.to]
    assert len(to_approver) == 1 and "Особое мнение" in to_approver[0].subject
    assert "ВГТУ 5.4.4" in to_approver[0].body
    assert any("Утвердить решение по протоколу" in t for t in _titles(approver))
    # the authors hear of the decision only when it takes effect, after the approver's resolution
    assert not Letter.objects.filter(kind="commission_decision").exists()
    with django_capture_on_commit_callbacks(execute=True):
        cs.approver_resolve(actor=approver, meeting=meeting, verdict="approved")
    decided = Letter.objects.filter(kind="commission_decision")
    assert {letter.capacity for letter in decided} == {"автор", "подразделение по ИС"}


def test_a_notified_meeting_moved_sends_the_updated_invitation(
    client, meeting, accepted, secretary, django_capture_on_commit_callbacks
):
    cs.agenda_add(actor=secretary, meeting=meeting, rid=accepted)
    with django_capture_on_commit_callbacks(execute=True):
        cs.notices_send(actor=secretary, meeting=meeting, confirm_late=True)
    invited = {m.to[0] for m in mail.outbox}
    mail.outbox.clear()
    later = timezone.localdate() + timedelta(days=30)
    if later.year != meeting.year:
        later = date(meeting.year, 12, 30)
    with django_capture_on_commit_callbacks(execute=True):
        moved = meeting_move(
            actor=secretary, meeting=meeting, on=later, at=time(11, 0), place="ауд. 101", reason="ремонт зала"
        )
    assert moved.revision == 1 and moved.moved_reason == "ремонт зала"
    assert {m.to[0] for m in mail.outbox} == invited and len(mail.outbox) == len(invited)
    letter = mail.outbox[0]
    assert "перенесено" in letter.subject and "Причина: ремонт зала" in letter.body and "ауд. 101" in letter.body
    ics = letter.attachments[0][1]
    ics = ics.decode() if isinstance(ics, bytes) else ics
    assert "METHOD:REQUEST" in ics and "SEQUENCE:1" in ics and f"UID:ridbook-meeting-{meeting.pk}@" in ics
    client.force_login(secretary)
    assert "ремонт зала" in client.get(f"/commission/meetings/{meeting.pk}/").content.decode()


def test_a_move_is_refused_when_it_cannot_be_right(meeting, accepted, secretary):
    today = timezone.localdate()
    with pytest.raises(DomainError, match="Укажите причину переноса"):
        meeting_move(actor=secretary, meeting=meeting, on=today, at=time(16, 0), reason=" ")
    with pytest.raises(DomainError, match="уже прошла"):
        meeting_move(actor=secretary, meeting=meeting, on=today - timedelta(days=1), at=time(16, 0), reason="x")
    with pytest.raises(DomainError, match="Номера протоколов ведутся в пределах года"):
        meeting_move(actor=secretary, meeting=meeting, on=date(today.year + 1, 2, 2), at=time(16, 0), reason="x")
    with pytest.raises(DomainError, match="не изменились"):
        meeting_move(actor=secretary, meeting=meeting, on=meeting.date, at=meeting.time, reason="x")
    # a notified meeting moved closer than the notice term needs a confirmation
    cs.agenda_add(actor=secretary, meeting=meeting, rid=accepted)
    cs.notices_send(actor=secretary, meeting=meeting, confirm_late=True)
    with pytest.raises(DomainError, match="Подтвердите перенос"):
        meeting_move(actor=secretary, meeting=meeting, on=today, at=time(17, 0), reason="раньше")
    moved = meeting_move(actor=secretary, meeting=meeting, on=today, at=time(17, 0), reason="раньше", confirm_late=True)
    assert moved.notices_late and moved.revision == 1


def test_the_move_through_the_api(client, meeting, secretary):
    client.force_login(secretary)
    answer = client.post(
        f"/api/v1/meetings/{meeting.pk}/move/",
        {"date": meeting.date.isoformat(), "time": "18:30", "reason": "совет"},
        content_type="application/json",
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["time"].startswith("18:30") and answer.json()["moved_reason"] == "совет"
    refused = client.post(
        f"/api/v1/meetings/{meeting.pk}/move/",
        {"date": "2020-01-01", "time": "10:00", "reason": "x"},
        content_type="application/json",
    )
    assert refused.status_code == 400 and "уже прошла" in refused.content.decode()
