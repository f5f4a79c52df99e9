"""Applications, the correspondence and the stored docket: requests with their terms, answers, extensions, a rule
that changes (open tasks move, done ones stay), permissions, the deadlines provider."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from ridbook.accounts.roles import Role
from ridbook.audit.models import ChangeRecord
from ridbook.core.errors import DomainError, PermissionDeniedError
from ridbook.deadlines.registry import deadlines_for
from ridbook.prosecution import services
from ridbook.prosecution.choices import Stage, TaskState
from ridbook.prosecution.models import Application, DocketTask
from ridbook.prosecution.tests.conftest import EXAM_RULE, days_ago, docket_rule
from ridbook.registry.choices import RidStatus
from ridbook.workdays.calendar import add_months

pytestmark = pytest.mark.django_db


def filed(officer: Any, rid: Any, on: Any = None) -> Application:
    return services.application_create(
        actor=officer, rid=rid, office="RU", signatory=officer, number="2026100001", filed_on=on or days_ago(100)
    )


def test_an_application_for_a_decided_rid_is_filed_with_its_docket(officer, decided_rid, test_rules) -> None:
    application = filed(officer, decided_rid, days_ago(100))
    assert application.stage == Stage.FILED and application.filing_date == days_ago(100)
    assert application.kind == "invention" and application.organization == decided_rid.organization
    task = application.tasks.get()
    assert task.rule_code == "request_examination" and task.state == TaskState.OPEN
    assert task.due == add_months(days_ago(100), 6) and task.owner == officer and task.verified


def test_only_a_decided_rid_gets_an_application(officer, decided_rid, test_rules) -> None:
    decided_rid.status = RidStatus.ACCEPTED
    decided_rid.save()
    with pytest.raises(DomainError, match="комиссия решила подать заявку"):
        filed(officer, decided_rid)
    assert not Application.objects.exists()


def test_an_office_request_with_a_three_month_term_is_a_task_until_answered(officer, decided_rid, test_rules) -> None:
    application = filed(officer, decided_rid)
    received = days_ago(20)
    term = add_months(received, 3)
    letter = services.letter_receive(
        actor=officer, application=application, kind="request", number="З-1", received_on=received, term=term
    )
    task = application.tasks.get(rule_code="answer_office_request")
    assert task.due == term and task.state == TaskState.OPEN and not task.verified
    assert task.key.startswith("answer_office_request") and str(letter.pk) in task.key

    # an extension moves the term
    later = add_months(received, 5)
    services.letter_extend(actor=officer, letter=letter, until=later, requested_on=days_ago(5))
    task.refresh_from_db()
    assert task.due == later and task.state == TaskState.OPEN

    # the answer closes it
    services.answer_send(actor=officer, letter=letter, sent_on=days_ago(1), number="И-7")
    task.refresh_from_db()
    assert task.state == TaskState.DONE and task.done_at is not None
    with pytest.raises(DomainError, match="уже"):
        services.answer_send(actor=officer, letter=letter, sent_on=days_ago(1))


def test_a_changed_rule_moves_open_tasks_and_leaves_done_ones(officer, decided_rid, test_rules) -> None:
    application = filed(officer, decided_rid)
    letter = services.letter_receive(
        actor=officer, application=application, kind="request", received_on=days_ago(30), term=days_ago(-60)
    )
    services.answer_send(actor=officer, letter=letter, sent_on=days_ago(2))
    done = application.tasks.get(rule_code="answer_office_request")
    done_before = (done.due, done.state, done.done_at, done.title)
    exam = application.tasks.get(rule_code="request_examination")

    # the policy's rule changes: 9 months instead of 6, and the answer's rule gets a new title
    test_rules[:] = [
        docket_rule(**{**EXAM_RULE, "months": 9}),
        docket_rule(code="answer_office_request", title="Новый заголовок", trigger="office_request", source="т"),
    ]
    out = StringIO()
    call_command("resync_docket", stdout=out)
    exam.refresh_from_db()
    done.refresh_from_db()
    assert exam.due == add_months(days_ago(100), 9) and exam.state == TaskState.OPEN
    assert (done.due, done.state, done.done_at, done.title) == done_before
    assert "moved=1" in out.getvalue()

    # a rule removed from the policy aborts its open tasks, never the done ones — by the daily job too
    test_rules[:] = []
    from ridbook.prosecution.tasks import resync_dockets

    assert resync_dockets.delay().get() == 1
    assert resync_dockets.delay().get() == 0  # nothing changed since
    exam.refresh_from_db()
    done.refresh_from_db()
    assert exam.state == TaskState.ABORTED and done.state == TaskState.DONE


def test_recording_an_event_moves_the_stage_and_the_docket(officer, decided_rid, test_rules) -> None:
    application = filed(officer, decided_rid)
    services.event_record(actor=officer, application=application, code="substantive_exam_requested", on=days_ago(3))
    application.refresh_from_db()
    assert application.stage == Stage.SUBSTANTIVE_EXAMINATION
    assert application.tasks.get(rule_code="request_examination").state == TaskState.DONE


def test_an_impossible_event_writes_nothing(officer, decided_rid, test_rules) -> None:
    application = filed(officer, decided_rid)
    before = ChangeRecord.objects.count()
    with pytest.raises(DomainError, match="невозможно на стадии «заявка подана»"):
        services.event_record(actor=officer, application=application, code="granted", on=days_ago(1))
    with pytest.raises(DomainError, match="Переписка"):
        services.event_record(actor=officer, application=application, code="office_request", on=days_ago(1))
    application.refresh_from_db()
    assert application.stage == Stage.FILED and application.events.count() == 1
    assert ChangeRecord.objects.count() == before


def test_only_the_ip_department_records_filings_and_answers(personas, officer, decided_rid, test_rules) -> None:
    author = personas[Role.AUTHOR]
    with pytest.raises(PermissionDeniedError):
        filed(author, decided_rid)
    application = filed(officer, decided_rid)
    for role in (Role.AUTHOR, Role.COMMISSION_MEMBER, Role.AUDITOR):
        with pytest.raises(PermissionDeniedError):
            services.event_record(actor=personas[role], application=application, code="withdrawn", on=days_ago(1))
        with pytest.raises(PermissionDeniedError):
            services.letter_receive(
                actor=personas[role], application=application, kind="request", received_on=days_ago(1)
            )


def test_the_signatory_and_the_owner_are_of_the_organization(officer, decided_rid, org_tree, test_rules) -> None:
    from ridbook.testing.factories import persona

    stranger = persona(Role.IP_OFFICER, org_tree["holding"], username="holding-officer")
    with pytest.raises(DomainError, match="не найден"):
        services.application_create(actor=officer, rid=decided_rid, office="RU", signatory=stranger)
    application = filed(officer, decided_rid)
    task = application.tasks.get()
    with pytest.raises(DomainError, match="специалист по ИС этой организации"):
        services.task_reassign(actor=officer, task=task, owner=stranger)
    colleague = persona(Role.IP_OFFICER, org_tree["institute"], username="institute-officer")
    assert services.task_reassign(actor=officer, task=task, owner=colleague).owner == colleague


def test_a_foreign_office_needs_its_country(officer, decided_rid, test_rules) -> None:
    with pytest.raises(DomainError, match="код страны"):
        services.application_create(actor=officer, rid=decided_rid, office="foreign", signatory=officer)
    application = services.application_create(
        actor=officer, rid=decided_rid, office="foreign", country="de", signatory=officer
    )
    assert application.country == "DE" and application.stage == Stage.PREPARED


def test_open_tasks_are_deadlines_of_their_owner_and_the_ip_officers(personas, officer, decided_rid, test_rules):
    application = filed(officer, decided_rid, days_ago(400))  # the 6-month task is overdue
    services.letter_receive(
        actor=officer, application=application, kind="request", received_on=days_ago(3), term=days_ago(-30)
    )
    today = days_ago(0)
    mine = [d for d in deadlines_for(officer, today) if d.source == "prosecution.docket"]
    assert [d.due for d in mine] == [add_months(days_ago(400), 6), days_ago(-30)]  # overdue first
    assert mine[0].urgency(today) == "overdue"
    assert "не сверено с официальным текстом" in mine[1].rule
    assert not [d for d in deadlines_for(personas[Role.AUTHOR], today) if d.source == "prosecution.docket"]
    assert (
        mine[0].owner is not None and mine[0].owner.user_id == officer.pk and mine[0].rid_number == decided_rid.number
    )
    from ridbook.testing.factories import persona

    colleague = persona(Role.IP_OFFICER, decided_rid.organization, username="colleague-officer")
    assert not [d for d in deadlines_for(colleague, today, "mine") if d.source == "prosecution.docket"]
    overseen = [d for d in deadlines_for(colleague, today, "organization") if d.source == "prosecution.docket"]
    assert [d.key for d in overseen] == [d.key for d in mine]
    for task in DocketTask.objects.filter(state=TaskState.OPEN):
        services.task_close(actor=officer, task=task)  # the stored deadlines follow at once
    assert not [d for d in deadlines_for(officer, today) if d.source == "prosecution.docket"]


def test_a_priority_claim_is_recorded(officer, decided_rid, test_rules) -> None:
    application = filed(officer, decided_rid)
    claim = services.priority_add(
        actor=officer,
        application=application,
        claim=services.PriorityInput(kind="convention", date=days_ago(200), number="DE 10 2026 1", country="DE"),
    )
    assert claim.application == application
    assert application.events.filter(code="priority_claimed").exists()
    with pytest.raises(DomainError, match="позже даты подачи"):
        services.priority_add(
            actor=officer,
            application=application,
            claim=services.PriorityInput(kind="earlier", date=days_ago(0) + timedelta(days=0)),
        )


def test_the_organizations_policy_gives_the_request_its_task_with_the_letters_term(officer, decided_rid) -> None:
    """No test rules: the organization's policy (silent on the docket: ru-default's rules). The oracle is the
    letter's own term, never a figure of the policy data."""
    application = filed(officer, decided_rid, days_ago(60))
    received = days_ago(10)
    term = add_months(received, 3)
    letter = services.letter_receive(
        actor=officer, application=application, kind="formal_request", received_on=received, term=term
    )
    application.refresh_from_db()
    assert application.stage == Stage.FORMAL_EXAMINATION
    task = application.tasks.get(key__endswith=f":{letter.pk}")
    assert task.due == term and task.state == TaskState.OPEN and task.rule_source
    services.answer_send(actor=officer, letter=letter, sent_on=days_ago(1))
    task.refresh_from_db()
    assert task.state == TaskState.DONE


def test_a_payment_closes_the_task_it_names_and_a_task_without_an_event_is_closed_by_hand(
    officer, decided_rid, test_rules
) -> None:
    test_rules[:] = [
        docket_rule(code="fee_a", title="Пошлина А", trigger="filed", months=1, fee="a", closes_on=("fee_paid",)),
        docket_rule(code="fee_b", title="Пошлина Б", trigger="filed", months=2, fee="b", closes_on=("fee_paid",)),
        docket_rule(code="national", title="Национальная фаза", trigger="priority_claimed", months=31, office="PCT"),
    ]
    application = services.application_create(
        actor=officer,
        rid=decided_rid,
        office="PCT",
        signatory=officer,
        filed_on=days_ago(100),
        priorities=[services.PriorityInput(kind="earlier", date=days_ago(300), number="RU 2025100001")],
    )
    fee_a = application.tasks.get(rule_code="fee_a")
    services.event_record(actor=officer, application=application, code="fee_paid", on=days_ago(1), task=fee_a)
    states = dict(application.tasks.values_list("rule_code", "state"))
    assert states == {"fee_a": TaskState.DONE, "fee_b": TaskState.OPEN, "national": TaskState.OPEN}
    national = application.tasks.get(rule_code="national")
    assert national.due == add_months(days_ago(300), 31)
    with pytest.raises(DomainError, match="открытую задачу"):
        services.event_record(actor=officer, application=application, code="fee_paid", on=days_ago(1), task=fee_a)

    services.task_close(actor=officer, task=national)
    services.sync_docket(application)  # a done task stays done
    national.refresh_from_db()
    assert national.state == TaskState.DONE
    with pytest.raises(DomainError, match="только открытую"):
        services.task_close(actor=officer, task=national)


def test_every_docket_write_refreshes_the_stored_deadlines_at_once(officer, decided_rid, test_rules) -> None:
    from ridbook.deadlines.models import StoredDeadline

    application = filed(officer, decided_rid)
    today = days_ago(0)

    def stored() -> dict[str, Any]:
        return dict(StoredDeadline.objects.filter(source="prosecution.docket").values_list("key", "due"))

    exam = application.tasks.get(rule_code="request_examination")
    assert {d.key for d in deadlines_for(officer, today) if d.source == "prosecution.docket"} == {
        f"prosecution.docket:task:{exam.pk}"
    }
    letter = services.letter_receive(
        actor=officer, application=application, kind="request", received_on=days_ago(30), term=days_ago(-60)
    )
    answer = application.tasks.get(rule_code="answer_office_request")
    assert stored()[f"prosecution.docket:task:{answer.pk}"] == days_ago(-60)
    services.letter_extend(actor=officer, letter=letter, until=days_ago(-90), requested_on=days_ago(1))
    assert stored()[f"prosecution.docket:task:{answer.pk}"] == days_ago(-90)  # moved
    services.answer_send(actor=officer, letter=letter, sent_on=days_ago(1))
    assert f"prosecution.docket:task:{answer.pk}" not in stored()  # done

    # the policy's rule changes: the open task moves with the resync
    test_rules[:] = [docket_rule(**{**EXAM_RULE, "months": 9})]
    call_command("resync_docket", stdout=StringIO())
    assert stored() == {f"prosecution.docket:task:{exam.pk}": add_months(days_ago(100), 9)}
    services.task_close(actor=officer, task=exam)
    assert stored() == {}
