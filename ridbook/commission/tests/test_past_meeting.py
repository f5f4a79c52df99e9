"""A meeting that took place before it was entered (issue 12: 5): the secretary enters it «после проведения» with the
reason; no notices go out for a past date, every other rule holds (quorum, votes, signatures); the protocol, the
meeting page and the API say when, by whom and why it was entered; journaled. A future meeting cannot be entered
as past, and a past date without this mode is refused with a clear message."""

from __future__ import annotations

from datetime import date, time, timedelta
from io import BytesIO

import pytest
from django.core import mail
from django.utils import timezone
from docx import Document
from rest_framework.test import APIClient

from ridbook.audit.models import ChangeRecord
from ridbook.commission import services as cs
from ridbook.commission.documents import protocol_docx
from ridbook.commission.models import Meeting
from ridbook.commission.tests.conftest import seats
from ridbook.core.errors import DomainError

pytestmark = pytest.mark.django_db

REASON = "заседание проведено до подключения комиссии к системе, протокол был на бумаге"
YESTERDAY = timezone.localdate() - timedelta(days=1)


def text_of(content: bytes) -> str:
    return "\n".join(p.text for p in Document(BytesIO(content)).paragraphs)


def enter_past(commission, secretary, on=None, reason=REASON, **kwargs):
    return cs.meeting_schedule(
        actor=secretary,
        commission=commission,
        on=on or YESTERDAY,
        at=time(10, 0),
        after_the_fact=True,
        after_the_fact_reason=reason,
        **kwargs,
    )


def test_a_past_date_without_the_mode_is_refused_with_a_clear_message(commission, secretary):
    with pytest.raises(DomainError) as refused:
        cs.meeting_schedule(actor=secretary, commission=commission, on=YESTERDAY, at=time(10, 0))
    assert refused.value.message == (
        f"Заседание не назначено: Дата заседания {YESTERDAY:%d.%m.%Y} уже прошла. Если заседание состоялось, внесите "
        "его как прошедшее: отметьте «внесено после проведения» и укажите причину."
    )
    assert not Meeting.objects.exists()


def test_a_future_meeting_cannot_be_entered_as_past(commission, secretary):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(DomainError) as refused:
        enter_past(commission, secretary, on=tomorrow)
    assert refused.value.details["fields"]["date"] == (
        f"Заседание {tomorrow:%d.%m.%Y} в 10:00 ещё не состоялось: внести его как прошедшее нельзя, назначьте его "
        "обычным порядком."
    )
    assert refused.value.message.startswith("Заседание не внесено: ")
    assert not Meeting.objects.exists()


def test_a_past_meeting_needs_a_reason_and_a_date_when_the_commission_existed(commission, secretary):
    with pytest.raises(DomainError) as refused:
        enter_past(commission, secretary, reason="  ")
    assert refused.value.details["fields"] == {
        "after_the_fact_reason": "Укажите, почему заседание вносится после его проведения."
    }
    with pytest.raises(DomainError) as refused:
        enter_past(commission, secretary, on=date(2026, 1, 10))
    assert "утверждена приказом от 15.01.2026: заседание 10.01.2026 она провести не могла" in refused.value.message
    assert not Meeting.objects.exists()


def test_a_past_meeting_is_held_without_notices_and_the_protocol_says_it_was_entered_after(
    commission, accepted, secretary, chair, django_capture_on_commit_callbacks
):
    meeting = enter_past(commission, secretary)
    assert meeting.entered_after_fact and meeting.entered_after_fact_by == secretary.full_name
    assert meeting.entered_after_fact_reason == REASON
    record = ChangeRecord.objects.get(content_type__model="meeting", object_id=str(meeting.pk), action="create")
    assert record.actor == secretary
    assert record.after["entered_after_fact"] is True and record.after["entered_after_fact_reason"] == REASON

    cs.agenda_add(actor=secretary, meeting=meeting, rid=accepted)
    assert cs.notice_warning(meeting, timezone.localdate()) is None
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError) as refused:
        cs.notices_send(actor=secretary, meeting=meeting, confirm_late=True)
    assert refused.value.code == "entered_after_fact"
    assert refused.value.message == (
        "Заседание внесено после проведения: уведомления о прошедшем заседании не рассылаются."
    )
    assert mail.outbox == []

    # opened without the «not notified» confirmation: nobody could be notified of a past date
    meeting = cs.meeting_open(actor=secretary, meeting=meeting)
    assert meeting.status == "open" and not meeting.opened_unnotified_by
    item = meeting.items.get()
    cs.item_propose(actor=secretary, item=item, outcome="file", protection_form="invention")

    # the quorum still holds: four of seven absent, no vote
    by_name = seats(commission)
    absent = ("member2", "member3", "member4", "member5")
    for username in absent:
        cs.attendance_mark(
            actor=secretary, meeting=meeting, member=by_name[username], present=False, absence="unexcused"
        )
    for username in ("commission_chair", "commission_secretary", "commission_member"):
        cs.attendance_mark(actor=secretary, meeting=meeting, member=by_name[username], present=True)
    with pytest.raises(DomainError) as no_quorum:
        cs.vote_cast(actor=secretary, item=item, member=by_name["commission_chair"], choice="for")
    assert no_quorum.value.code == "no_quorum"

    for username in ("member2", "member3"):
        cs.attendance_mark(actor=secretary, meeting=meeting, member=by_name[username], present=True)
    for username in ("commission_chair", "commission_secretary", "commission_member", "member2", "member3"):
        cs.vote_cast(actor=secretary, item=item, member=by_name[username], choice="for")
    meeting = cs.meeting_close(actor=secretary, meeting=meeting)
    cs.protocol_sign(actor=chair, meeting=meeting)
    meeting = cs.protocol_sign(actor=secretary, meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.status == "signed"

    entered = timezone.localtime(meeting.entered_after_fact_at)
    note = (
        f"Сведения о заседании внесены в систему после его проведения: {entered:%d.%m.%Y %H:%M}, "
        f"{secretary.full_name}; причина: {REASON}."
    )
    with meeting.protocol_docx.open("rb") as stored:
        text = text_of(stored.read())
    assert note in text.split("\n")
    assert f"от {YESTERDAY:%d.%m.%Y}, начало в 10:00" in text
    assert "Уведомления о заседании не рассылались" not in text
    assert "ПРОЕКТ" not in text


def test_an_ordinary_protocol_says_nothing_of_entering_after(meeting, accepted, secretary):
    cs.agenda_add(actor=secretary, meeting=meeting, rid=accepted)
    assert "внесены в систему после его проведения" not in text_of(protocol_docx(meeting))
    assert cs.after_the_fact_note(meeting) == ""


def test_no_task_asks_to_notify_or_attend_a_past_meeting(commission, secretary, personas):
    from ridbook.commission.deadlines import commission_deadlines

    today = timezone.localdate()
    meeting = cs.meeting_schedule(
        actor=secretary,
        commission=commission,
        on=today,
        at=time(0, 0),
        after_the_fact=True,
        after_the_fact_reason=REASON,
    )
    titles = [d.title for d in commission_deadlines(secretary, today)]
    assert not any(meeting.label in t for t in titles)
    assert not any(t.startswith(f"Заседание комиссии {today:%d.%m.%Y} 00:00") for t in titles)


def test_the_pages_enter_a_past_meeting_and_show_it(client, commission, secretary):
    client.force_login(secretary)
    page = client.get(f"/commission/{commission.pk}/").content.decode()
    assert 'data-testid="enter-past-form"' in page and 'name="after_the_fact_reason"' in page

    # a past date through the ordinary form: refused, and the message says what to do
    response = client.post(
        f"/commission/{commission.pk}/do/schedule/",
        {"date": YESTERDAY.isoformat(), "time": "10:00", "place": "ауд. 1"},
        follow=True,
    )
    assert "Если заседание состоялось, внесите его как прошедшее" in response.content.decode()
    assert not Meeting.objects.exists()

    response = client.post(
        f"/commission/{commission.pk}/do/enter-past/",
        {"date": YESTERDAY.isoformat(), "time": "10:00", "place": "ауд. 1", "after_the_fact": "True"},
        follow=True,
    )
    assert "Укажите, почему заседание вносится после его проведения." in response.content.decode()
    assert not Meeting.objects.exists()

    response = client.post(
        f"/commission/{commission.pk}/do/enter-past/",
        {
            "date": YESTERDAY.isoformat(),
            "time": "10:00",
            "place": "ауд. 1",
            "after_the_fact": "True",
            "after_the_fact_reason": REASON,
        },
        follow=True,
    )
    meeting = Meeting.objects.get()
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == f"/commission/meetings/{meeting.pk}/"
    assert "внесено после проведения; уведомления о нём не рассылаются" in page
    assert 'data-testid="entered-after-fact"' in page and cs.after_the_fact_note(meeting) in page
    assert "send-notices" not in page and 'data-testid="open-past"' in page
    listing = client.get(f"/commission/{commission.pk}/").content.decode()
    assert 'data-testid="entered-after-fact-badge"' in listing


def test_the_api_enters_a_past_meeting_and_shows_it(commission, secretary):
    api = APIClient()
    api.force_authenticate(secretary)
    body = {"commission": commission.pk, "date": YESTERDAY.isoformat(), "time": "10:00"}
    refused = api.post("/api/v1/meetings/", body, format="json")
    assert refused.status_code == 400
    assert "Если заседание состоялось, внесите его как прошедшее" in refused.json()["error"]["message"]

    future = {**body, "date": (timezone.localdate() + timedelta(days=3)).isoformat(), "after_the_fact": True}
    refused = api.post("/api/v1/meetings/", {**future, "after_the_fact_reason": REASON}, format="json")
    assert refused.status_code == 400 and "ещё не состоялось" in refused.json()["error"]["message"]

    created = api.post(
        "/api/v1/meetings/", {**body, "after_the_fact": True, "after_the_fact_reason": REASON}, format="json"
    )
    assert created.status_code == 201, created.json()
    data = created.json()
    assert data["entered_after_fact"] is True
    assert data["entered_after_fact_by"] == secretary.full_name
    assert data["entered_after_fact_reason"] == REASON
    assert data["entered_after_fact_note"].startswith("Сведения о заседании внесены в систему после его проведения: ")
    assert data["notice_warning"] is None
    listed = api.get("/api/v1/meetings/").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [row["entered_after_fact"] for row in rows] == [True]
    notices = api.post(f"/api/v1/meetings/{data['id']}/send-notices/", {"confirm_late": True}, format="json")
    assert notices.status_code == 400 and notices.json()["error"]["code"] == "entered_after_fact"


def test_a_meeting_entered_after_the_fact_is_not_moved(commission, secretary):
    from ridbook.commission.rescheduling import meeting_move

    meeting = enter_past(commission, secretary)
    with pytest.raises(DomainError) as refused:
        meeting_move(
            actor=secretary,
            meeting=meeting,
            on=timezone.localdate() + timedelta(days=20),
            at=time(10, 0),
            reason="ошибка в дате",
        )
    assert refused.value.code == "entered_after_fact"
    meeting.refresh_from_db()
    assert meeting.date == YESTERDAY
