"""The daily job (Celery task, eager without a broker): a reminder 30, 7 and 1 days before to the deadline's owner,
the escalation of an overdue one to the head of the IP department; one letter per deadline per threshold, however
often the job runs."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from django.core import mail

from ridbook.accounts.roles import Role
from ridbook.deadlines.registry import Deadline, Owner
from ridbook.deadlines.tasks import send_deadline_reminders, threshold_reached
from ridbook.notifications.models import Letter, LetterState
from ridbook.notifications.services import preference_save
from ridbook.testing.factories import persona

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    def job(day):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            count = send_deadline_reminders.delay(day.isoformat()).get()
        return count, [(m.to[0], m.subject) for m in mail.outbox]

    return job


def test_thresholds():
    d = Deadline(title="t", due=date(2030, 3, 31), rule="r", source="s")
    on = d.due
    assert threshold_reached(d, on - timedelta(days=31)) is None
    assert threshold_reached(d, on - timedelta(days=30)) == 30
    assert threshold_reached(d, on - timedelta(days=8)) == 30
    assert threshold_reached(d, on - timedelta(days=7)) == 7
    assert threshold_reached(d, on - timedelta(days=1)) == 1
    assert threshold_reached(d, on) == 1
    assert threshold_reached(d, on + timedelta(days=1)) is None


def test_one_letter_per_threshold_even_when_the_job_runs_twice(board, run):
    secretary = board.secretary
    due = board.today + timedelta(days=40)
    board.items[:] = [replace(board.items[1], due=due)]  # the secretary's; the owner named
    assert run(due - timedelta(days=31)) == (0, [])
    count, letters = run(due - timedelta(days=30))
    assert count == 1 and letters == [(secretary.email, f"Срок {due:%d.%m.%Y}: Разослать уведомления о заседании")]
    assert run(due - timedelta(days=30)) == (0, [])  # the same day again: nothing
    assert run(due - timedelta(days=29)) == (0, [])  # the next day: nothing new
    count, letters = run(due - timedelta(days=7))  # the next threshold: one more
    assert count == 1 and letters[0][0] == secretary.email
    assert run(due - timedelta(days=7)) == (0, [])
    assert run(due - timedelta(days=1))[0] == 1
    assert run(due)[0] == 0
    events = sorted(Letter.objects.filter(kind="deadline_reminder").values_list("event", flat=True))
    assert events == [f"deadline:test.meeting:1:{n}" for n in (1, 30, 7)]
    body = Letter.objects.get(event="deadline:test.meeting:1:7").body
    assert "осталось дней: 7" in body and "за 7 рабочих дней (ВГТУ 6.6)" in body


def test_a_moved_date_keeps_the_letters_already_sent(board, run):
    due, meeting = board.today + timedelta(days=7), board.items[1]
    board.items[:] = [replace(meeting, due=due)]
    assert run(board.today)[0] == 1
    board.items[:] = [replace(meeting, due=due + timedelta(days=1))]  # moved a day later: 8 days left
    assert run(board.today)[0] == 0  # still the 7-day threshold's letter, already sent


def test_a_deadline_of_a_role_reminds_whoever_holds_it(board, run, org_tree):
    second = persona(Role.IP_OFFICER, org_tree["institute"], username="second-officer")  # below: not the university's
    due = board.today + timedelta(days=1)
    board.items[:] = [replace(board.items[2], due=due)]  # no owner: the IP department's (the test provider: officer)
    count, letters = run(board.today)
    assert count == 1 and letters[0][0] == board.officer.email
    assert second.email not in [to for to, _ in letters]


def test_done_deadlines_are_not_reminded(board, run):
    board.items[:] = [replace(board.items[1], due=board.today + timedelta(days=1), state="done")]
    assert run(board.today) == (0, [])


def test_escalation_to_the_ip_head_only_when_overdue(board, run, org_tree):
    head = persona(Role.IP_HEAD, org_tree["university"], username="ip-head")
    holding_head = persona(Role.IP_HEAD, org_tree["holding"], username="holding-head")
    due = board.today + timedelta(days=1)
    author_task = replace(board.items[0], due=due)  # the author's, at the university
    board.items[:] = [author_task]
    count, letters = run(board.today)
    assert count == 1 and letters == [
        (board.author.email, f"Срок {due:%d.%m.%Y}: Доработать уведомление"),
    ]  # not yet overdue: no escalation
    assert run(due)[0] == 0  # due today: the 1-day letter is sent already; nothing to escalate
    count, letters = run(due + timedelta(days=1))
    assert count == 1 and letters == [(head.email, f"Просрочен срок: Доработать уведомление ({due:%d.%m.%Y})")]
    assert holding_head.email not in [to for to, _ in letters]
    assert run(due + timedelta(days=1)) == (0, [])  # the job again: nothing
    assert run(due + timedelta(days=5)) == (0, [])  # still overdue: no second escalation
    letter = Letter.objects.get(kind="deadline_overdue")
    assert (
        letter.event == "deadline:test.notice:rid:5:overdue" and letter.capacity == "руководитель подразделения по ИС"
    )
    assert f"Ответственный: {board.author.full_name}" in letter.body


def test_an_overdue_deadline_nobody_lists_as_his_own_is_escalated_too(board, run, org_tree):
    head = persona(Role.IP_HEAD, org_tree["university"], username="ip-head")
    ghost = Owner(user_id=10**6, name="Уволенный сотрудник")  # the owner is gone: his own list is nobody's
    board.items[:] = [replace(board.items[0], owner=ghost, due=board.today - timedelta(days=3))]
    count, letters = run(board.today)
    assert count == 1 and letters[0][0] == head.email


def test_opt_out_is_respected(board, run):
    preference_save(actor=board.secretary, email_enabled=False, language="ru")
    board.items[:] = [replace(board.items[1], due=board.today + timedelta(days=7))]
    assert run(board.today) == (0, [])
    letter = Letter.objects.get(kind="deadline_reminder")
    assert letter.state == LetterState.OPTED_OUT and letter.user == board.secretary
    assert run(board.today) == (0, [])  # and not tried again
    assert Letter.objects.filter(kind="deadline_reminder").count() == 1


def test_a_reminder_in_english(board, run):
    preference_save(actor=board.secretary, email_enabled=True, language="en")
    due = board.today + timedelta(days=7)
    board.items[:] = [replace(board.items[1], due=due)]
    _count, letters = run(board.today)
    assert letters == [(board.secretary.email, f"Due {due:%d.%m.%Y}: Разослать уведомления о заседании")]
    body = mail.outbox[0].body
    assert "Reminder:" in body and "days left: 7" in body and "Напоминание" not in body


def test_a_task_without_a_term_is_not_escalated(board, run, org_tree):
    persona(Role.IP_HEAD, org_tree["university"], username="ip-head")
    board.items[:] = [replace(board.items[0], due=board.today - timedelta(days=3), escalate=False)]
    assert run(board.today) == (0, [])
