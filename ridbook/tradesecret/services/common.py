"""What every service of this part needs: who keeps the regime, whether it restricts, what a user may see."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ridbook.accounts.permissions import Action, organization_ids_for, require
from ridbook.core.errors import DomainError
from ridbook.tradesecret.models import Regime


def require_keep(actor: Any, regime: Regime) -> None:
    """Only the IP department keeps the RID, its copies and its register (UZ app. 3 §8–9)."""
    require(actor, Action.TRADE_SECRET_KEEP, regime.organization)


def require_restricting(regime: Regime) -> None:
    if not regime.is_restricted:
        raise DomainError(
            _("Режим коммерческой тайны этого РИД не действует (%(state)s).") % {"state": regime.get_state_display()},
            code="regime_not_in_force",
        )


def past_or_today(value: date | None, label: str) -> date:
    today = timezone.localdate()
    if value is None:
        return today
    if value > today:
        raise DomainError(_("%(label)s не может быть позже сегодняшнего дня.") % {"label": label}, code="invalid")
    return value


def regimes_visible_to(user: Any) -> QuerySet[Regime]:
    """Regimes of the organizations where ``user`` keeps or approves trade secrets (the register's readers)."""
    keep = organization_ids_for(user, Action.TRADE_SECRET_KEEP)
    approve = organization_ids_for(user, Action.TRADE_SECRET_APPROVE)
    if keep is None or approve is None:
        return Regime.objects.all()
    ids = keep | approve
    return Regime.objects.filter(Q(organization_id__in=ids)) if ids else Regime.objects.none()


def regimes_kept_by(user: Any) -> QuerySet[Regime]:
    keep = organization_ids_for(user, Action.TRADE_SECRET_KEEP)
    if keep is None:
        return Regime.objects.all()
    return Regime.objects.filter(organization_id__in=keep)
