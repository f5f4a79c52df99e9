"""The outbox: one letter per person per event, a person's own «no letters», no e-mail named, sending claimed."""

from __future__ import annotations

import pytest
from django.core import mail

from ridbook.accounts.roles import Role
from ridbook.audit.models import ChangeRecord
from ridbook.notifications.models import Letter, LetterState
from ridbook.notifications.services import Addressee, Message, notify, preference_save, send

pytestmark = pytest.mark.django_db


def _notify(org, addressees, event="test:1"):
    return notify(
        event=event,
        about="test.object:1",
        kind="test",
        organization=org,
        addressees=addressees,
        compose=lambda who: Message(subject="Тема", body=f"{who.greeting}\n\nТекст."),
        url="/registry/1/",
    )


def test_an_event_writes_once_to_each_person(personas, org_tree, django_capture_on_commit_callbacks):
    officer, chair = personas[Role.IP_OFFICER], personas[Role.COMMISSION_CHAIR]
    people = [Addressee.of_user(officer), Addressee.of_user(chair), Addressee.of_user(officer)]
    with django_capture_on_commit_callbacks(execute=True):
        first = _notify(org_tree["university"], people)
    with django_capture_on_commit_callbacks(execute=True):
        again = _notify(org_tree["university"], people)  # the code that reports the event ran twice
    assert len(first) == 2 and again == []
    assert sorted(m.to[0] for m in mail.outbox) == sorted([officer.email, chair.email])
    letter = mail.outbox[0]
    assert "Текст." in letter.body and "http://127.0.0.1:8000/registry/1/" in letter.body
    assert Letter.objects.filter(state=LetterState.SENT).count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        _notify(org_tree["university"], people, event="test:2")  # another event: another letter
    assert len(mail.outbox) == 4


def test_sending_twice_sends_once(personas, org_tree, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        letters = _notify(org_tree["university"], [Addressee.of_user(personas[Role.IP_OFFICER])])
    ids = [letter.pk for letter in letters]
    assert (send(ids), send(ids)) == (1, 0)
    assert len(mail.outbox) == 1


def test_no_email_and_letters_off_are_recorded_not_sent(personas, org_tree, django_capture_on_commit_callbacks):
    officer, chair = personas[Role.IP_OFFICER], personas[Role.COMMISSION_CHAIR]
    chair.email = ""
    chair.save()
    preference_save(actor=officer, email_enabled=False, language="ru")
    assert ChangeRecord.objects.filter(content_type__model="preference").exists()  # journaled
    with django_capture_on_commit_callbacks(execute=True):
        letters = _notify(org_tree["university"], [Addressee.of_user(officer), Addressee.of_user(chair)])
    assert {letter.recipient_name: letter.state for letter in letters} == {
        officer.full_name: LetterState.OPTED_OUT,
        chair.full_name: LetterState.NO_EMAIL,
    }
    assert mail.outbox == []


def test_the_greeting_agrees_and_the_language_is_the_recipients(personas, org_tree, django_capture_on_commit_callbacks):
    officer = personas[Role.IP_OFFICER]
    officer.last_name, officer.first_name, officer.middle_name = "Кузнецова", "Ольга", "Петровна"
    officer.save()
    with django_capture_on_commit_callbacks(execute=True):
        _notify(org_tree["university"], [Addressee.of_user(officer)])
    assert mail.outbox[0].body.startswith("Уважаемая Ольга Петровна!")
    preference_save(actor=officer, email_enabled=True, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        _notify(org_tree["university"], [Addressee.of_user(officer)], event="test:en")
    assert mail.outbox[1].body.startswith("Dear Ольга Петровна,")
    assert "Your tasks and deadlines:" in mail.outbox[1].body


def test_my_letters_page_and_switching_letters_off(client, personas, org_tree, django_capture_on_commit_callbacks):
    officer = personas[Role.IP_OFFICER]
    with django_capture_on_commit_callbacks(execute=True):
        _notify(org_tree["university"], [Addressee.of_user(officer), Addressee.of_user(personas[Role.AUDITOR])])
    client.force_login(officer)
    page = client.get("/notifications/").content.decode()
    assert page.count('data-testid="letter"') == 1 and "Тема" in page  # only his own
    response = client.post("/notifications/", {"language": "ru"}, follow=True)
    assert "Письма отключены" in response.content.decode()
    assert client.get("/api/v1/notifications/preference/").json() == {"email_enabled": False, "language": "ru"}
    answer = client.put(
        "/api/v1/notifications/preference/", {"email_enabled": True, "language": "xx"}, content_type="application/json"
    )
    assert answer.status_code == 400
    assert client.get("/api/v1/notifications/").json()["count"] == 1
