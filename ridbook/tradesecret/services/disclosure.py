"""Disclosure (RZD §4.3.6; Civil Code art. 1467): once the information is known to third parties, the regime ends,
and the exclusive right to the know-how ends on that date for every holder. The term rule of know-how
(``protection.rules.terms``: «while confidential») gets the disclosure date."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ridbook.core.errors import invalid
from ridbook.organizations.selectors import organization_policy
from ridbook.protection.rules.terms import Expiry, expiry
from ridbook.tradesecret import sealing
from ridbook.tradesecret.choices import EndReason, RegimeState
from ridbook.tradesecret.models import Regime
from ridbook.tradesecret.services.common import past_or_today, require_keep, require_restricting


def regime_disclose(*, actor: Any, regime: Regime, on: date, details: str) -> Regime:
    """Record the disclosure: the regime ends on ``on`` with ``end_reason=disclosed``."""
    require_keep(actor, regime)
    on = past_or_today(on, _("Дата раскрытия"))
    with transaction.atomic():
        locked = Regime.objects.select_for_update().get(pk=regime.pk)
        require_restricting(locked)
        errors: dict[str, str] = {}
        if on < locked.presented_on:
            errors["on"] = _("Сведения не могут быть раскрыты раньше, чем РИД представлен совету (%(day)s).") % {
                "day": locked.presented_on.strftime("%d.%m.%Y")
            }
        if not details.strip():
            errors["details"] = _("Опишите, как и кому стали известны сведения.")
        if errors:
            raise invalid(errors, _("Раскрытие не записано"))
        locked.state = RegimeState.ENDED
        locked.ended_on = on
        locked.end_reason = EndReason.DISCLOSED
        locked.end_details = details.strip()
        locked.save(update_fields=["state", "ended_on", "end_reason", "end_details"])
        # the information is public now: the content goes back to its columns (the gate no longer restricts it)
        sealing.unseal(locked)
    return locked


def disclosed_on(regime: Regime) -> date | None:
    return regime.ended_on if regime.end_reason == EndReason.DISCLOSED else None


def regime_term(regime: Regime) -> Expiry:
    """The term of the exclusive right to the know-how: while confidential; the disclosure date once disclosed."""
    policy = organization_policy(regime.organization)
    return expiry("know_how", policy=policy, filing_date=None, disclosed_on=disclosed_on(regime))


def disclosure_note(regime: Regime) -> str | None:
    """What the RID's page says of a disclosed regime."""
    day = disclosed_on(regime)
    if day is None:
        return None
    return _(
        "Режим коммерческой тайны прекращён %(day)s: сведения раскрыты; исключительное право на секрет производства "
        "прекращено"
    ) % {"day": day.strftime("%d.%m.%Y")}
