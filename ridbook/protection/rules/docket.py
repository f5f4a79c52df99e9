"""The docket as rule data, as phpIP does it (its ``task_rules``: trigger event → task, an offset in days, months,
years; recurrence for annual fees; «abort on» and «only if» events; validity dates of the rule; fee; responsible
role). The rules live in the policy files (``[[docket]]``, schema ``DocketRuleSpec``); this module only computes.

:func:`plan` is pure: from the facts recorded on one application or document (``Fact``: an event code and its day)
and the rules, every task they give, open or done:

* a rule applies to a trigger fact when the kind and office match (``None``: any), the trigger's day is within the
  rule's ``valid_from``…``valid_until`` (inclusive), every ``only_if`` event happened, and no ``abort_on`` event
  happened on or after the trigger (an aborted task is not returned at all, as phpIP deletes it);
* the due date: the trigger's own term when it carries one (``Fact.due``: an office letter's response term), else the
  trigger's day + ``years`` + ``months`` + ``days`` (calendar; same day of the month, the month's last day when it has
  no such day — Civil Code art. 192) then + ``working_days`` in the country's production calendar. An
  ``extension_requested`` fact with the trigger's ``ref`` and its own ``due`` moves the task to that day;
* recurring rules (``recurring_yearly_until``) give one task a year from the first due date until the end: the end
  of the term (``"term_end"``, the ``term_end`` argument) or the first day the named event happened; while the end
  is unknown, up to the first occurrence after ``on``. Each occurrence's key ends with its number (1, 2, …);
* a ``closes_on`` fact on or after the trigger marks the task done (``PlannedTask.done_by``). A closing fact closes
  the task whose ``key``, trigger ``ref`` or ``fee`` (the rule's) it names; one with an empty ``ref`` closes the task
  of the same trigger, and for a recurring rule the earliest occurrence still open (one fact, one occurrence). So a
  payment should name its fee (``ref="grant"``, ``"maintenance"``) or the task's key: an unnamed one closes every
  rule's task that ``fee_paid`` closes.

Facts dated after ``on`` are not known yet and are ignored. :func:`reconcile` compares a plan with the tasks already
stored: it creates and moves open tasks, clears those no rule gives any more, closes those now done, and never
touches a done one — so changing a rule re-computes open tasks only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from dateutil.relativedelta import relativedelta
from django.utils.translation import gettext as _

from ridbook.policies.schema import DocketRuleSpec, Policy
from ridbook.protection.rules.defaults import default_policy
from ridbook.protection.rules.events import EXTENSION_REQUESTED, TERM_END
from ridbook.workdays.calendar import add_working_days

__all__ = [
    "DocketRule",
    "Fact",
    "PlannedTask",
    "Reconciliation",
    "StoredTask",
    "docket_rules",
    "plan",
    "reconcile",
]

MAX_OCCURRENCES = 100


@dataclass(frozen=True)
class DocketRule:
    """One rule of the docket (see the module's docstring); ``title`` is Russian, shown to users as it is."""

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
    verified: bool = True

    @classmethod
    def from_spec(cls, spec: DocketRuleSpec, *, source: str | None = None) -> DocketRule:
        return cls(
            code=spec.code,
            title=spec.title,
            trigger=spec.trigger,
            days=spec.days,
            months=spec.months,
            years=spec.years,
            working_days=spec.working_days,
            recurring_yearly_until=spec.recurring_yearly_until,
            abort_on=tuple(spec.abort_on),
            only_if=tuple(spec.only_if),
            valid_from=spec.valid_from,
            valid_until=spec.valid_until,
            fee=spec.fee,
            responsible_role=spec.responsible_role,
            kinds=tuple(spec.kinds) if spec.kinds is not None else None,
            office=spec.office,
            closes_on=tuple(spec.closes_on),
            source=source if source is not None else spec.source,
            verified=spec.verified,
        )

    def applies_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or day <= self.valid_until
        )


@dataclass(frozen=True)
class Fact:
    """An event recorded on an application or a document: its code (``rules.events``), its day, a reference that
    ties facts together (a letter's number: the request and its answer), and an explicit term (``due``: an office
    request's own response term, an extension's new term)."""

    code: str
    on: date
    ref: str = ""
    due: date | None = None


@dataclass(frozen=True)
class PlannedTask:
    """A task a rule gives. ``key`` is stable (rule code, trigger ref or day, occurrence) so a stored task is found
    again; ``done_by``: the fact that closed it (``None``: open)."""

    key: str
    rule: DocketRule
    trigger: Fact
    due: date
    title: str
    occurrence: int = 1
    done_by: Fact | None = None

    @property
    def is_open(self) -> bool:
        return self.done_by is None

    @property
    def verified(self) -> bool:
        return self.rule.verified


def docket_rules(policy: Policy, *, on: date | None = None) -> tuple[DocketRule, ...]:
    """The policy's ``[[docket]]`` rules; a policy whose rules are silent (``docket`` not covered) follows
    ``ru-default`` in force on ``on``, and each rule's ``source`` says so."""
    if policy.docket is not None:
        return tuple(DocketRule.from_spec(spec) for spec in policy.docket)
    default = default_policy(on)
    return tuple(
        DocketRule.from_spec(
            spec,
            source=_("%(source)s (правила организации не устанавливают — применяется %(ref)s)")
            % {"source": spec.source, "ref": default.ref},
        )
        for spec in default.docket or ()
    )


def _offset(rule: DocketRule, day: date, country: str) -> date:
    due: date = day + relativedelta(years=rule.years, months=rule.months, days=rule.days)
    if rule.working_days:
        due = add_working_days(due, rule.working_days, country)
    return due


def _same_thread(fact: Fact, trigger: Fact, key: str | None = None, fee: str | None = None) -> bool:
    """Does ``fact`` concern the task of ``trigger``: no ref (the whole application), the trigger's ref, the task's
    key, or the rule's fee (a payment that names its fee: ``Fact("fee_paid", day, ref="grant")``)."""
    return (
        fact.ref in ("", trigger.ref) or (key is not None and fact.ref == key) or (fee is not None and fact.ref == fee)
    )


def plan(
    facts: Sequence[Fact],
    rules: Sequence[DocketRule],
    *,
    kind: str,
    office: str,
    on: date,
    country: str = "RU",
    term_end: date | None = None,
) -> list[PlannedTask]:
    """Every task the ``rules`` give for the ``facts`` known on ``on``, open and done, by due date (see the
    module's docstring)."""
    known = sorted((f for f in facts if f.on <= on), key=lambda f: f.on)
    codes = {f.code for f in known}
    out: list[PlannedTask] = []
    for rule in rules:
        if rule.kinds is not None and kind not in rule.kinds:
            continue
        if rule.office is not None and rule.office != office:
            continue
        if not all(code in codes for code in rule.only_if):
            continue
        for trigger in (f for f in known if f.code == rule.trigger):
            if not rule.applies_on(trigger.on):
                continue
            if any(f.code in rule.abort_on and f.on >= trigger.on and _same_thread(f, trigger) for f in known):
                continue
            if rule.recurring_yearly_until is None:
                out.append(_single(rule, trigger, known, country))
            else:
                out.extend(_recurring(rule, trigger, known, country, on, term_end))
    return sorted(out, key=lambda t: (t.due, t.key))


def _trigger_ref(trigger: Fact) -> str:
    return trigger.ref or trigger.on.isoformat()


def _single(rule: DocketRule, trigger: Fact, known: list[Fact], country: str) -> PlannedTask:
    key = f"{rule.code}:{_trigger_ref(trigger)}"
    due = trigger.due or _offset(rule, trigger.on, country)
    for fact in known:
        if fact.code == EXTENSION_REQUESTED and fact.due and trigger.ref and fact.ref == trigger.ref:
            due = max(due, fact.due) if fact.on >= trigger.on else due
    closer = next(
        (
            f
            for f in known
            if f.code in rule.closes_on and f.on >= trigger.on and _same_thread(f, trigger, key, rule.fee)
        ),
        None,
    )
    return PlannedTask(key, rule, trigger, due, rule.title, 1, closer)


def _recurring(
    rule: DocketRule, trigger: Fact, known: list[Fact], country: str, on: date, term_end: date | None
) -> list[PlannedTask]:
    until = rule.recurring_yearly_until
    end = term_end if until == TERM_END else next((f.on for f in known if f.code == until and f.on >= trigger.on), None)
    tasks: list[PlannedTask] = []
    for n in range(1, MAX_OCCURRENCES + 1):
        due = _offset(rule, trigger.on + relativedelta(years=n - 1), country)
        if end is not None and due >= end:
            break
        if end is None and tasks and tasks[-1].due > on:
            break
        tasks.append(PlannedTask(f"{rule.code}:{_trigger_ref(trigger)}:{n}", rule, trigger, due, rule.title, n))
    closers = [f for f in known if f.code in rule.closes_on and f.on >= trigger.on]
    by_key = {t.key: t for t in tasks}
    done: dict[str, Fact] = {}
    for fact in closers:  # named occurrences first
        if fact.ref in by_key:
            done.setdefault(fact.ref, fact)
    for fact in closers:  # then each unnamed payment closes the earliest occurrence still open
        if fact.ref in by_key or not _same_thread(fact, trigger, fee=rule.fee):
            continue
        first_open = next((t for t in tasks if t.key not in done), None)
        if first_open is not None:
            done[first_open.key] = fact
    return [PlannedTask(t.key, t.rule, t.trigger, t.due, t.title, t.occurrence, done.get(t.key)) for t in tasks]


# ---- stored tasks ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StoredTask:
    """What the docket's storage holds of a task: its key, due date and whether it is done."""

    key: str
    due: date
    done: bool


@dataclass(frozen=True)
class Reconciliation:
    """What to write so the stored tasks follow a new plan.

    ``create``: planned tasks not stored yet (open or done); ``move``: open stored tasks whose due changed (the new
    plan's task and the old due); ``close``: open stored tasks the plan reports done; ``clear``: keys of open stored
    tasks no rule gives any more (aborted, rule removed); ``kept_done``: keys of done tasks, left as they are.
    """

    create: list[PlannedTask] = field(default_factory=list)
    move: list[tuple[PlannedTask, date]] = field(default_factory=list)
    close: list[PlannedTask] = field(default_factory=list)
    clear: list[str] = field(default_factory=list)
    kept_done: list[str] = field(default_factory=list)


def reconcile(
    stored: Mapping[str, StoredTask] | Sequence[StoredTask], planned: Sequence[PlannedTask]
) -> Reconciliation:
    """Compare the stored tasks with a fresh :func:`plan`: done tasks are never moved, re-opened or cleared."""
    by_key = {t.key: t for t in stored.values()} if isinstance(stored, Mapping) else {t.key: t for t in stored}
    result = Reconciliation()
    seen: set[str] = set()
    for task in planned:
        seen.add(task.key)
        old = by_key.get(task.key)
        if old is None:
            result.create.append(task)
        elif old.done:
            result.kept_done.append(old.key)
        elif not task.is_open:
            result.close.append(task)
        elif task.due != old.due:
            result.move.append((task, old.due))
    for key, old in by_key.items():
        if key in seen:
            continue
        (result.kept_done if old.done else result.clear).append(key)
    return result
