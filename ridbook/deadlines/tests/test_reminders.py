"""The scheduled reminder job (Celery task, eager without a broker) mails overdue and near deadlines."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from ridbook.accounts.roles import Role
from ridbook.deadlines.registry import Deadline, register_provider, unregister_provider
from ridbook.deadlines.tasks import send_deadline_reminders

pytestmark = pytest.mark.django_db


def test_reminders_go_to_users_with_overdue_or_near_deadlines(personas):
    secretary = personas[Role.COMMISSION_SECRETARY]
    today = timezone.localdate()

    def provider(user, day):
        if user == secretary:
            yield Deadline(title="Протокол вице-ректору", due=day - timedelta(days=1), rule="2 рабочих дня", source="t")
            yield Deadline(title="Заседание в следующем квартале", due=day + timedelta(days=60), rule="р", source="t")

    register_provider("test.reminders", provider)
    try:
        sent = send_deadline_reminders.delay().get()
    finally:
        unregister_provider("test.reminders")
    assert sent == 1
    assert len(mail.outbox) == 1
    letter = mail.outbox[0]
    assert letter.to == [secretary.email]
    assert f"{today - timedelta(days=1):%d.%m.%Y} — Протокол вице-ректору (просрочено; 2 рабочих дня)" in letter.body
    assert "следующем квартале" not in letter.body
