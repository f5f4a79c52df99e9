"""The commission in English (the language the user chose): pages, refusals, e-mails; the protocol stays Russian."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.utils import translation

from ridbook.commission import notices
from ridbook.commission import services as cs
from ridbook.commission.documents import protocol_context
from ridbook.commission.tests.conftest import open_with
from ridbook.core.errors import DomainError
from ridbook.notifications.services import preference_save


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_the_commission_page_in_english(english, commission, accepted, secretary):
    english.force_login(secretary)
    page = english.get(f"/commission/{commission.pk}/").content.decode()
    assert "At least 7 members; quorum: 50 % of the members" in page
    assert "absentee voting not allowed" in page and "Application queue" in page and "Schedule a meeting" in page
    assert "Состав" not in page and "Очередь заявок" not in page
    assert "Role in the commission" in page  # a form label
    assert "commission chair" in page  # a choice's label


def test_refusals_and_messages_in_english(english, commission, secretary):
    english.force_login(secretary)
    response = english.post(f"/commission/{commission.pk}/do/schedule/", {"date": "2020-01-10", "time": "10:00"})
    assert any(
        m.startswith("Meeting not scheduled: The meeting date 10.01.2020 has passed.") for m in _messages(response)
    )
    response = english.post(f"/commission/{commission.pk}/do/schedule/", {"date": "2099-01-12", "time": "10:00"})
    assert any(m.startswith("Meeting No. 1/2099 of 12.01.2099 scheduled.") for m in _messages(response))


def test_the_meeting_page_and_a_vote_refusal_in_english(english, meeting, accepted, secretary):
    cs.agenda_add(actor=secretary, meeting=meeting, rid=accepted)
    english.force_login(secretary)
    page = english.get(f"/commission/meetings/{meeting.pk}/").content.decode()
    assert "Meeting: minutes No. 1/" in page and "Open the meeting" in page and "reason for cancellation" in page
    with translation.override("en"), pytest.raises(DomainError) as refused:
        cs.meeting_open(actor=secretary, meeting=meeting)
    assert refused.value.message.startswith("No notices of the meeting were sent")


def test_the_quorum_in_english_and_the_protocol_stays_russian(meeting, accepted, secretary):
    cs.agenda_add(actor=secretary, meeting=meeting, rid=accepted)
    open_with(meeting, secretary)
    with translation.override("en"):
        assert cs.meeting_quorum(meeting).message == "Quorum reached: 7 of 7 present (at least 50 % required)."
        context = protocol_context(meeting)
    assert context["quorum"] == "Кворум есть: присутствуют 7 из 7 (нужно не менее 50 %)."
    assert context["composition"][0]["role"] == "председатель комиссии"
    assert context["composition"][0]["attendance"] == "присутствует"


def test_the_notice_letter_in_english(meeting, accepted, secretary, chair, django_capture_on_commit_callbacks):
    """A letter is written in the language its recipient chose for his letters, whoever sends it."""
    cs.agenda_add(actor=secretary, meeting=meeting, rid=accepted)
    preference_save(actor=chair, email_enabled=True, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        sent = notices.send_notices(meeting, notices.recipients(meeting))
    assert sent == len(mail.outbox) > 0
    letter = next(m for m in mail.outbox if chair.email in m.to)
    other = next(m for m in mail.outbox if secretary.email in m.to)
    assert other.subject.startswith("Заседание комиссии ")  # the secretary kept Russian
    assert letter.subject.startswith("Commission meeting ")
    assert letter.body.startswith("Dear ") and "You are invited as: commission chair" in letter.body
    ics = letter.attachments[0][1]
    assert "SUMMARY:Meeting: " in (ics if isinstance(ics, str) else ics.decode())
