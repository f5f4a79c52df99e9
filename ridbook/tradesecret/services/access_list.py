"""The access list of a regime (UZ app. 3 §7, §9): a person added or removed with a date and the approver. Only the
head (or the deputy for science, ``TRADE_SECRET_APPROVE``) changes it; a grant is never edited away."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ridbook.accounts.permissions import Action, is_colleague, require
from ridbook.core.errors import DomainError, invalid
from ridbook.tradesecret.models import AccessGrant, Regime


def add_to_list(regime: Regime, user: Any, *, on: date, by: Any, reason: str = "") -> AccessGrant:
    """The write itself (the services check who may): no second open grant of one user."""
    open_grant = AccessGrant.objects.filter(regime=regime, user=user, removed_on__isnull=True).first()
    if open_grant is not None:
        return open_grant
    return AccessGrant.objects.create(regime=regime, user=user, added_on=on, added_by=by, reason=reason[:300])


def close_grant(grant: AccessGrant, *, on: date, by: Any, reason: str = "") -> AccessGrant:
    grant.removed_on = max(on, grant.added_on)
    grant.removed_by = by
    if reason:
        grant.reason = f"{grant.reason}; {reason}"[:300] if grant.reason else reason[:300]
    grant.save()
    return grant


def _check(actor: Any, regime: Regime, on: date | None) -> date:
    require(actor, Action.TRADE_SECRET_APPROVE, regime.organization)
    if not regime.is_restricted:
        raise DomainError(
            _("Режим «%(state)s»: список допуска больше не ведётся.") % {"state": regime.get_state_display()},
            code="wrong_state",
            status=409,
        )
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise invalid({"on": _("Дата не может быть в будущем.")})
    return on


@transaction.atomic
def grant(*, actor: Any, regime: Regime, user: Any, on: date | None = None, reason: str = "") -> AccessGrant:
    """Add a person to the list (a user of the regime's legal entity, active)."""
    on = _check(actor, regime, on)
    if user is None or not user.is_active or not is_colleague(user, regime.organization):
        raise DomainError(_("Пользователь не найден среди работников этой организации."), code="not_found", status=404)
    if AccessGrant.objects.filter(regime=regime, user=user, removed_on__isnull=True).exists():
        raise DomainError(_("%(user)s уже в списке допуска.") % {"user": user}, code="already_listed", status=409)
    granted = add_to_list(regime, user, on=on, by=actor, reason=reason.strip())
    from ridbook.tradesecret import notify

    notify.listed(regime, user, granted.pk)
    return granted


@transaction.atomic
def revoke(*, actor: Any, regime: Regime, user: Any, on: date | None = None, reason: str = "") -> AccessGrant:
    """Remove a person from the list: the grant is closed with the date and the approver (from that day he is
    refused)."""
    on = _check(actor, regime, on)
    open_grant = AccessGrant.objects.filter(regime=regime, user=user, removed_on__isnull=True).first()
    if open_grant is None:
        raise DomainError(_("Этого пользователя нет в списке допуска."), code="not_listed", status=404)
    closed = close_grant(open_grant, on=on, by=actor, reason=reason.strip())
    from ridbook.tradesecret import notify

    notify.unlisted(regime, user, closed.pk)
    return closed
