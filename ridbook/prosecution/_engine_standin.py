"""A stand-in for ``ridbook.protection.rules`` (docket, events) until that branch is merged: the interface of
/tmp/rules13.md, the least of it. Removed when the engine is merged."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from ridbook.workdays.calendar import add_months

LABELS = {
    "filed": "заявка подана",
    "priority_claimed": "заявлен приоритет",
    "formal_exam_request": "запрос формальной экспертизы",
    "formal_exam_passed": "формальная экспертиза завершена",
    "substantive_exam_requested": "подано ходатайство об экспертизе по существу",
    "office_request": "запрос ведомства",
    "office_request_answered": "ответ на запрос ведомства",
    "extension_requested": "ходатайство о продлении срока",
    "decision_to_grant": "решение о выдаче",
    "decision_to_refuse": "решение об отказе",
    "granted": "патент выдан",
    "published": "публикация",
    "withdrawn": "заявка отозвана",
    "deemed_withdrawn": "заявка признана отозванной",
    "appeal_filed": "подано возражение",
    "restored": "срок восстановлен",
    "registered": "зарегистрировано",
    "fee_paid": "пошлина уплачена",
}


@dataclass(frozen=True)
class Fact:
    code: str
    on: date
    ref: str = ""
    due: date | None = None


@dataclass(frozen=True)
class DocketRule:
    code: str
    title: str
    trigger: str
    days: int = 0
    months: int = 0
    years: int = 0
    working_days: int = 0
    recurring_yearly_until: str | None = None
    abort_on: tuple[str, ...] = ()
    only_if: tuple[str, ...] = ()
    valid_from: date | None = None
    valid_until: date | None = None
    fee: str | None = None
    responsible_role: str = "ip_officer"
    kinds: tuple[str, ...] | None = None
    office: str | None = None
    closes_on: tuple[str, ...] = ()
    source: str = ""
    verified: bool = False


@dataclass(frozen=True)
class PlannedTask:
    key: str
    rule: DocketRule
    trigger: Fact
    due: date
    title: str


RULES = [
    DocketRule(
        code="office_request_answer",
        title="Ответить на запрос ведомства",
        trigger="office_request",
        closes_on=("office_request_answered",),
        abort_on=("withdrawn",),
        source="ГК РФ ст. 1384 п. 4, ст. 1386 п. 5",
        verified=False,
    ),
    DocketRule(
        code="substantive_exam_request",
        title="Подать ходатайство о проведении экспертизы по существу",
        trigger="filed",
        years=3,
        kinds=("invention",),
        office="RU",
        closes_on=("substantive_exam_requested",),
        abort_on=("withdrawn", "deemed_withdrawn"),
        source="ГК РФ ст. 1386 п. 1",
        verified=False,
    ),
]


def docket_rules(policy: Any) -> list[DocketRule]:
    return list(RULES)


def plan(
    facts: Sequence[Fact],
    rules: Sequence[DocketRule],
    *,
    kind: str,
    office: str,
    on: date,
    country: str = "RU",
    term_end: date | None = None,
) -> tuple[list[PlannedTask], list[PlannedTask]]:
    open_tasks: list[PlannedTask] = []
    done: list[PlannedTask] = []
    for rule in rules:
        if rule.kinds is not None and kind not in rule.kinds:
            continue
        if rule.office is not None and rule.office != office:
            continue
        for trigger in facts:
            if trigger.code != rule.trigger:
                continue
            related = [f for f in facts if f.on >= trigger.on and (not trigger.ref or f.ref in ("", trigger.ref))]
            if any(f.code in rule.abort_on for f in related):
                continue
            if trigger.due is not None and not (rule.days or rule.months or rule.years):
                due = trigger.due
            else:
                due = add_months(trigger.on, rule.months + 12 * rule.years) + timedelta(days=rule.days)
            task = PlannedTask(f"{rule.code}:{trigger.ref or trigger.on.isoformat()}", rule, trigger, due, rule.title)
            closed = any(f.code in rule.closes_on and (not trigger.ref or f.ref == trigger.ref) for f in related)
            (done if closed else open_tasks).append(task)
    return open_tasks, done
