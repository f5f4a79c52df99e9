"""The one door to the docket engine (``ridbook.protection.rules``: ``docket.plan``, ``events``) and to the policy's
docket rules. Everything the prosecution app asks of the engine goes through here, so the rest of the app does not
depend on how the engine spells its results.

``plan`` is normalized to ``(open, done)``: planned tasks still to do, and planned tasks whose closing event exists.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from datetime import date
from typing import Any

from django.utils.translation import gettext as _


def _module(name: str) -> Any:
    try:
        return importlib.import_module(f"ridbook.protection.rules.{name}")
    except ModuleNotFoundError:  # until the rules engine is merged: the stand-in below
        return importlib.import_module("ridbook.prosecution._engine_standin")


def docket_module() -> Any:
    return _module("docket")


def events_module() -> Any:
    return _module("events")


def fact(code: str, on: date, ref: str = "", due: date | None = None) -> Any:
    return docket_module().Fact(code=code, on=on, ref=ref, due=due)


def event_label(code: str) -> str:
    labels = getattr(events_module(), "LABELS", None) or getattr(events_module(), "EVENT_LABELS", {})
    label = labels.get(code)
    return str(label) if label else code


def rules_for(policy: Any) -> list[Any]:
    """The docket rules of a policy (``[[docket]]``); an empty list when the policy has none."""
    docket = docket_module()
    loader = getattr(docket, "rules_from_policy", None) or getattr(docket, "docket_rules", None)
    if loader is not None:
        return list(loader(policy) or [])
    return list(getattr(policy, "docket", None) or [])


def plan(
    facts: Sequence[Any],
    rules: Sequence[Any],
    *,
    kind: str,
    office: str,
    on: date,
    country: str = "RU",
    term_end: date | None = None,
) -> tuple[list[Any], list[Any]]:
    result = docket_module().plan(facts, rules, kind=kind, office=office, on=on, country=country, term_end=term_end)
    if isinstance(result, tuple) and len(result) == 2:
        return list(result[0]), list(result[1])
    planned = list(result)
    done = [task for task in planned if getattr(task, "done", False)]
    return [task for task in planned if not getattr(task, "done", False)], done


def rule_text(rule: Any) -> str:
    """The rule's source for the user, with the mark of a rule not checked against the official text."""
    source = str(getattr(rule, "source", "") or "")
    if not getattr(rule, "verified", False):
        return _("%(source)s — не сверено с официальным текстом") % {"source": source}
    return source
