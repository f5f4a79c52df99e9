"""The one door to the docket engine (``ridbook.protection.rules``: ``docket.plan``, ``events``) and to the policy's
docket rules. Everything the prosecution app asks of the engine goes through here, so the rest of the app does not
depend on how the engine spells its results.

``plan`` is normalized to ``(open, done)``: planned tasks still to do, and planned tasks whose closing event exists.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from ridbook.protection.rules import docket, events


def docket_module() -> Any:
    return docket


def fact(code: str, on: date, ref: str = "", due: date | None = None) -> docket.Fact:
    return docket.Fact(code=code, on=on, ref=ref, due=due)


def event_label(code: str) -> str:
    return events.event_label(code)


def rules_for(policy: Any, on: date | None = None) -> list[docket.DocketRule]:
    """The docket rules of a policy (``[[docket]]``; a silent policy follows ``ru-default``, the source says so)."""
    return list(docket.docket_rules(policy, on=on))


def plan(
    facts: Sequence[Any],
    rules: Sequence[Any],
    *,
    kind: str,
    office: str,
    on: date,
    country: str = "RU",
    term_end: date | None = None,
) -> tuple[list[docket.PlannedTask], list[docket.PlannedTask]]:
    planned = docket.plan(facts, rules, kind=kind, office=office, on=on, country=country, term_end=term_end)
    return [task for task in planned if task.is_open], [task for task in planned if not task.is_open]
