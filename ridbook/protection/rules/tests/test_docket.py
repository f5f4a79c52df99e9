"""The docket as rule data (pure: no database).

The mechanism is tested with test-local rules (the policy's rules are unverified except the publication term,
LAW.md art. 1385); the shipped rules are checked for loading and for that one verified term.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from ridbook.policies.loader import get_policy
from ridbook.protection.rules import events as ev
from ridbook.protection.rules.docket import (
    DocketRule,
    Fact,
    PlannedTask,
    StoredTask,
    docket_rules,
    plan,
    reconcile,
)

ANSWER = DocketRule(
    code="answer",
    title="Ответить на запрос",
    trigger=ev.OFFICE_REQUEST,
    months=3,
    closes_on=(ev.OFFICE_REQUEST_ANSWERED,),
    abort_on=(ev.WITHDRAWN,),
    source="test",
    verified=False,
)
EXAM = DocketRule(
    code="exam",
    title="Подать ходатайство об экспертизе",
    trigger=ev.FILED,
    years=3,
    kinds=("invention",),
    office="RU",
    closes_on=(ev.SUBSTANTIVE_EXAM_REQUESTED,),
    abort_on=(ev.WITHDRAWN, ev.DEEMED_WITHDRAWN),
    source="test",
    verified=False,
)
ANNUITY = DocketRule(
    code="annuity",
    title="Уплатить пошлину",
    trigger=ev.FILED,
    years=2,
    recurring_yearly_until=ev.TERM_END,
    only_if=(ev.GRANTED,),
    closes_on=(ev.FEE_PAID,),
    abort_on=(ev.LAPSED,),
    source="test",
    verified=False,
)
FILED = Fact(ev.FILED, date(2020, 3, 10))


@pytest.fixture(autouse=True)
def _russian() -> object:
    with translation.override("ru"):
        yield


def run(facts: list[Fact], rules: list[DocketRule], **kwargs: object) -> list[PlannedTask]:
    options: dict = {"kind": "invention", "office": "RU", "on": date(2030, 1, 1)}
    options.update(kwargs)
    return plan(facts, rules, **options)


def test_a_trigger_gives_a_task_and_the_closing_event_marks_it_done() -> None:
    [task] = run([FILED], [EXAM])
    assert (task.key, task.due, task.is_open, task.title) == ("exam:2020-03-10", date(2023, 3, 10), True, EXAM.title)
    assert not task.verified
    requested = Fact(ev.SUBSTANTIVE_EXAM_REQUESTED, date(2022, 1, 5))
    [done] = run([FILED, requested], [EXAM])
    assert done.done_by == requested and not done.is_open


def test_abort_on_removes_the_task() -> None:
    assert run([FILED, Fact(ev.WITHDRAWN, date(2021, 1, 1))], [EXAM]) == []
    assert run([FILED, Fact(ev.DEEMED_WITHDRAWN, date(2021, 1, 1))], [EXAM]) == []
    # an abort event dated before the trigger does not abort it (a later filing of the same application)
    refiled = Fact(ev.FILED, date(2021, 6, 1))
    [task] = run([Fact(ev.WITHDRAWN, date(2021, 1, 1)), refiled], [EXAM])
    assert task.trigger == refiled
    # nor one not yet known on the planning day
    assert len(run([FILED, Fact(ev.WITHDRAWN, date(2031, 1, 1))], [EXAM], on=date(2030, 1, 1))) == 1


def test_kind_office_and_validity_dates_restrict_a_rule() -> None:
    assert run([FILED], [EXAM], kind="utility_model") == []
    assert run([FILED], [EXAM], office="EAPO") == []
    later = DocketRule(**{**EXAM.__dict__, "valid_from": date(2021, 1, 1)})
    assert run([FILED], [later]) == []
    ended = DocketRule(**{**EXAM.__dict__, "valid_until": date(2020, 3, 10)})
    assert len(run([FILED], [ended])) == 1  # valid_until is inclusive


def test_an_office_request_takes_its_own_term_and_an_extension_moves_it() -> None:
    letter = Fact(ev.OFFICE_REQUEST, date(2024, 2, 1), ref="исх. 15", due=date(2024, 4, 1))
    other = Fact(ev.OFFICE_REQUEST, date(2024, 2, 20), ref="исх. 16")
    tasks = {t.key: t for t in run([letter, other], [ANSWER])}
    assert tasks["answer:исх. 15"].due == date(2024, 4, 1)  # the letter's own term
    assert tasks["answer:исх. 16"].due == date(2024, 5, 20)  # the rule's default: 3 months
    extended = Fact(ev.EXTENSION_REQUESTED, date(2024, 3, 25), ref="исх. 15", due=date(2024, 8, 1))
    answered = Fact(ev.OFFICE_REQUEST_ANSWERED, date(2024, 4, 10), ref="исх. 16")
    tasks = {t.key: t for t in run([letter, other, extended, answered], [ANSWER])}
    assert tasks["answer:исх. 15"].due == date(2024, 8, 1) and tasks["answer:исх. 15"].is_open
    assert tasks["answer:исх. 16"].done_by == answered  # the answer to letter 16 closes only that one


def test_offsets_clamp_to_the_month_end_and_count_working_days() -> None:
    month_end = DocketRule(code="m", title="т", trigger=ev.DECISION_TO_REFUSE, months=3, source="test")
    [task] = run([Fact(ev.DECISION_TO_REFUSE, date(2023, 11, 30))], [month_end])
    assert task.due == date(2024, 2, 29)
    working = DocketRule(code="w", title="т", trigger=ev.DECISION_TO_GRANT, working_days=1, source="test")
    [task] = run([Fact(ev.DECISION_TO_GRANT, date(2026, 5, 8))], [working])
    assert task.due == date(2026, 5, 12)  # 9–11 May 2026 are days off (decree No. 1466 of 24.09.2025)


def test_a_recurring_rule_gives_one_task_a_year_until_the_term_end_only_if_granted() -> None:
    term_end = date(2040, 3, 10)
    assert run([FILED], [ANNUITY], term_end=term_end) == []  # only if granted
    granted = Fact(ev.GRANTED, date(2022, 5, 1))
    tasks = run([FILED, granted], [ANNUITY], term_end=term_end)
    assert [t.due for t in tasks] == [date(y, 3, 10) for y in range(2022, 2040)]  # years 3…20
    assert [t.key for t in tasks[:2]] == ["annuity:2020-03-10:1", "annuity:2020-03-10:2"]
    # each payment closes the earliest open year; one naming its occurrence closes that one
    paid = [Fact(ev.FEE_PAID, date(2022, 5, 20)), Fact(ev.FEE_PAID, date(2023, 3, 1), ref="annuity:2020-03-10:5")]
    tasks = run([FILED, granted, *paid], [ANNUITY], term_end=term_end)
    assert [t.occurrence for t in tasks if not t.is_open] == [1, 5]
    # an unknown end: up to the first occurrence after the planning day
    tasks = run([FILED, granted], [ANNUITY], on=date(2024, 1, 1))
    assert [t.due for t in tasks] == [date(2022, 3, 10), date(2023, 3, 10), date(2024, 3, 10)]
    # lapsed: the rule is aborted
    assert run([FILED, granted, Fact(ev.LAPSED, date(2025, 9, 11))], [ANNUITY], term_end=term_end) == []


def test_a_payment_naming_its_fee_closes_only_that_fee() -> None:
    grant_fee = DocketRule(
        code="grant_fee",
        title="т",
        trigger=ev.DECISION_TO_GRANT,
        months=3,
        fee="grant",
        closes_on=(ev.FEE_PAID,),
        source="test",
    )
    annuity = DocketRule(**{**ANNUITY.__dict__, "fee": "maintenance"})
    facts = [
        FILED,
        Fact(ev.DECISION_TO_GRANT, date(2022, 1, 10)),
        Fact(ev.FEE_PAID, date(2022, 2, 1), ref="grant"),
        Fact(ev.GRANTED, date(2022, 4, 1)),
        Fact(ev.FEE_PAID, date(2022, 3, 1), ref="maintenance"),
    ]
    tasks = run(facts, [grant_fee, annuity], term_end=date(2040, 3, 10))
    done = {(t.rule.code, t.occurrence) for t in tasks if not t.is_open}
    assert done == {("grant_fee", 1), ("annuity", 1)}


def test_a_changed_rule_moves_open_tasks_only() -> None:
    first = Fact(ev.OFFICE_REQUEST, date(2024, 2, 1), ref="A")
    second = Fact(ev.OFFICE_REQUEST, date(2024, 3, 1), ref="B")
    answered = Fact(ev.OFFICE_REQUEST_ANSWERED, date(2024, 3, 15), ref="A")
    facts = [first, second, answered]
    before = run(facts, [ANSWER], on=date(2024, 4, 1))
    created = reconcile([], before)
    assert [t.key for t in created.create] == ["answer:A", "answer:B"]
    stored = [StoredTask(t.key, t.due, done=not t.is_open) for t in before]
    assert {t.key: (t.due, t.done) for t in stored} == {
        "answer:A": (date(2024, 5, 1), True),
        "answer:B": (date(2024, 6, 1), False),
    }
    changed = DocketRule(**{**ANSWER.__dict__, "months": 4})
    after = run(facts, [changed], on=date(2024, 4, 1))
    changes = reconcile(stored, after)
    assert [(t.key, t.due, old) for t, old in changes.move] == [("answer:B", date(2024, 7, 1), date(2024, 6, 1))]
    assert changes.kept_done == ["answer:A"]  # reported done, not re-planned
    assert (changes.create, changes.close, changes.clear) == ([], [], [])


def test_recording_events_creates_closes_and_clears_stored_tasks() -> None:
    letter = Fact(ev.OFFICE_REQUEST, date(2024, 2, 1), ref="A")
    stored = [StoredTask(t.key, t.due, not t.is_open) for t in run([letter], [ANSWER], on=date(2024, 2, 2))]
    answered = run([letter, Fact(ev.OFFICE_REQUEST_ANSWERED, date(2024, 3, 1), ref="A")], [ANSWER])
    assert [t.key for t in reconcile(stored, answered).close] == ["answer:A"]
    withdrawn = run([letter, Fact(ev.WITHDRAWN, date(2024, 3, 1))], [ANSWER])
    assert reconcile(stored, withdrawn).clear == ["answer:A"]


def test_the_shipped_rospatent_rules_load_with_their_sources() -> None:
    rules = docket_rules(get_policy("ru-default", version=1))
    assert rules and all(r.source for r in rules)
    by_code = {r.code: r for r in rules}
    publication = by_code["publication_check"]
    assert publication.verified  # LAW.md: art. 1385, 18 months after filing
    [task] = plan([FILED], [publication], kind="invention", office="RU", on=date(2020, 3, 11))
    assert task.due == date(2021, 9, 10)
    assert not by_code["appeal_against_refusal"].verified  # shown flagged in the UI


def test_a_policy_without_a_docket_follows_ru_default_and_says_so() -> None:
    rules = docket_rules(get_policy("rzd-2013", version=1), on=date(2024, 1, 1))
    assert [r.code for r in rules] == [r.code for r in docket_rules(get_policy("ru-default", version=1))]
    assert all("ru-default@1" in r.source for r in rules)


def test_event_labels_cover_every_code() -> None:
    assert ev.event_label(ev.OFFICE_REQUEST) == "запрос или уведомление ведомства"
    assert ev.event_label("nonsense") == "nonsense"
    assert len(ev.EVENT_CODES) == 20
