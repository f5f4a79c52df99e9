"""The scheduled reminder job (Celery task, eager without a broker) mails overdue and near deadlines."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from ridbook.accounts.roles import Role
from ridbook.deadlines.registry import Deadline, register_provider, unregister_provider
from ridbook.deadlines.tasks import send_deadline_reminders

pytestmark = pytest.mark.django_db


def test_reminders_go_to_users_with_overdue_or_near_deadlines(personas, django_capture_on_commit_callbacks):
    secretary = personas[Role.COMMISSION_SECRETARY]
    today = timezone.localdate()

    def provider(user, day):
        if user == secretary:
            yield Deadline(title="Протокол вице-ректору", due=day - timedelta(days=1), rule="2 рабочих дня", source="t")
            yield Deadline(title="Заседание в следующем квартале", due=day + timedelta(days=60), rule="р", source="t")

    register_provider("test.reminders", provider)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            sent = send_deadline_reminders.delay().get()
        with django_capture_on_commit_callbacks(execute=True):
            again = send_deadline_reminders.delay().get()  # the job ran twice today: still one letter
    finally:
        unregister_provider("test.reminders")
    assert (sent, again) == (1, 0)
    assert len(mail.outbox) == 1
    letter = mail.outbox[0]
    assert letter.to == [secretary.email]
    assert f"{today - timedelta(days=1):%d.%m.%Y} — Протокол вице-ректору (просрочено; 2 рабочих дня)" in letter.body
    assert "следующем квартале" not in letter.body
