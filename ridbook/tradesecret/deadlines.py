"""Tasks of the regime for «Мои задачи и сроки»: the division head presents a RID the commission (or its notice's
field 16) put under the regime; the IP department records the council's decision; the approver approves it. None
has a term of its own in the sources (UZ app. 3): listed from the day it arose, not escalated."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from ridbook.accounts.permissions import Action
from ridbook.deadlines.registry import Deadline, Scope, in_scope, organization_ids_in_scope
from ridbook.registry.choices import RidStatus
from ridbook.registry.models import Rid
from ridbook.tradesecret.choices import RegimeState
from ridbook.tradesecret.models import Regime


def _of(rid: Rid) -> dict[str, Any]:
    return {"organization_id": rid.organization_id, "rid_id": rid.pk, "rid_number": rid.number, "escalate": False}


def regime_deadlines(user: Any, today: date, scope: str = Scope.MINE) -> Iterator[Deadline]:
    present_orgs = organization_ids_in_scope(user, scope, Action.TRADE_SECRET_PRESENT)
    if present_orgs is None or present_orgs:
        waiting = Rid.objects.filter(Q(status=RidStatus.TRADE_SECRET), trade_secret_regime__isnull=True)
        for rid in in_scope(waiting.select_related("organization"), present_orgs)[:200]:
            yield Deadline(
                title=_("Представить РИД %(number)s в научно-технический совет") % {"number": rid.number},
                due=rid.decided_on or today,
                rule=_("комиссия решила охранять РИД в режиме коммерческой тайны (УЗ, прил. 3, п. 5)"),
                source="tradesecret.present",
                url=f"/tradesecret/rid/{rid.pk}/present/",
                organization=str(rid.organization),
                key=f"tradesecret.present:rid:{rid.pk}",
                kind=_("представление в научно-технический совет"),
                **_of(rid),
            )
    steps = (
        (Action.TRADE_SECRET_KEEP, RegimeState.PRESENTED, "council", _("Внести решение научно-технического совета")),
        (Action.TRADE_SECRET_APPROVE, RegimeState.COUNCIL_DECIDED, "approve", _("Утвердить режим и список допуска")),
    )
    for action, state, step, label in steps:
        orgs = organization_ids_in_scope(user, scope, action)
        if orgs is not None and not orgs:
            continue
        regimes = in_scope(Regime.objects.filter(state=state).select_related("rid__organization"), orgs)
        for regime in regimes[:200]:
            rid = regime.rid
            yield Deadline(
                title=f"{label}: {rid.number}",
                due=regime.council_decided_on or regime.presented_on,
                rule=_("режим коммерческой тайны (УЗ, прил. 3, п. 6–7)"),
                source=f"tradesecret.{step}",
                url=f"/tradesecret/rid/{rid.pk}/",
                organization=str(rid.organization),
                key=f"tradesecret.{step}:regime:{regime.pk}",
                kind=label,
                **_of(rid),
            )
