"""The regime of one RID (UZ app. 3 §5–7; RZD §4.3.6): presentation to the scientific-technical council by the division
head, the council's decision recorded by the IP department, the approval with the access list by the head (or the
deputy for science). From the presentation the content is sealed (``sealing.seal``); a refusal unseals it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ridbook.accounts.permissions import Action, is_colleague, require
from ridbook.core.errors import DomainError, invalid
from ridbook.registry.models import Rid
from ridbook.tradesecret import access, notify, sealing
from ridbook.tradesecret.choices import CouncilOutcome, EndReason, RegimeState, StorageMedium
from ridbook.tradesecret.models import AccessGrant, Regime
from ridbook.tradesecret.services.access_list import add_to_list, close_grant


def _wrong_state(regime: Regime, expected: str) -> DomainError:
    return DomainError(
        _("Режим в состоянии «%(state)s», а нужно «%(expected)s».")
        % {"state": regime.get_state_display(), "expected": RegimeState(expected).label},
        code="wrong_state",
        status=409,
    )


def _authors_users(rid: Rid) -> list[Any]:
    from ridbook.accounts.models import User

    ids = rid.authorships.filter(person__user__isnull=False).values_list("person__user_id", flat=True)
    return list(User.objects.filter(pk__in=list(ids), is_active=True))


@transaction.atomic
def present(*, actor: Any, rid: Rid, commercial_value: str = "", presented_on: date | None = None) -> Regime:
    """The division head presents the RID to the council. The content is sealed at once; until the approval the
    provisional access list is the presenter and the RID's authors (they know the content already).

    A RID whose regime was refused (by the council or the head) or lifted may be presented again: the same regime
    starts anew (its journal and change log go on); a disclosed one may not — what is known cannot be secret again."""
    require(actor, Action.TRADE_SECRET_PRESENT, rid.organization)
    existing = Regime.objects.select_for_update().filter(rid=rid).first()
    if existing is not None and not may_present_again(existing):
        if existing.end_reason == EndReason.DISCLOSED:
            message = _("Сведения о РИД раскрыты %(day)s: режим коммерческой тайны не устанавливается вновь.") % {
                "day": existing.ended_on.strftime("%d.%m.%Y") if existing.ended_on else ""
            }
        else:
            message = _("РИД уже представлен научно-техническому совету: режим «%(state)s».") % {
                "state": existing.get_state_display()
            }
        raise DomainError(message, code="regime_exists", status=409)
    today = timezone.localdate()
    presented_on = presented_on or today
    if presented_on > today:
        raise invalid({"presented_on": _("Дата представления не может быть в будущем.")})
    if existing is not None:
        regime = _start_anew(existing, actor=actor, presented_on=presented_on, commercial_value=commercial_value)
    else:
        regime = Regime.objects.create(
            rid=rid,
            organization=rid.organization,
            state=RegimeState.PRESENTED,
            presented_by=actor,
            presented_on=presented_on,
            commercial_value=commercial_value.strip(),
            holder_name=getattr(rid.organization, "name", ""),
        )
    provisional = _("представление в научно-технический совет (до утверждения списка допуска)")
    for user in {actor, *_authors_users(rid)}:
        add_to_list(regime, user, on=presented_on, by=actor, reason=provisional)
    if not rid.trade_secret:
        Rid.objects.filter(pk=rid.pk).update(trade_secret=True)
    sealing.seal(regime)
    access.forget(rid)
    notify.presented(regime)
    return regime


def may_present_again(regime: Regime) -> bool:
    if regime.state == RegimeState.REFUSED:
        return True
    return regime.state == RegimeState.ENDED and regime.end_reason == EndReason.LIFTED


def _start_anew(regime: Regime, *, actor: Any, presented_on: date, commercial_value: str) -> Regime:
    """A refused or lifted regime presented again: its decision, approval and end are cleared (the change log keeps
    them); the grants of the previous round are closed already."""
    regime.state = RegimeState.PRESENTED
    regime.presented_by = actor
    regime.presented_on = presented_on
    regime.commercial_value = commercial_value.strip()
    regime.council_outcome = ""
    regime.council_protocol_number = ""
    regime.council_decided_on = None
    regime.approved_by = None
    regime.approved_on = None
    regime.approval_order_number = ""
    regime.ended_on = None
    regime.end_reason = ""
    regime.end_details = ""
    regime.save()
    return regime


@transaction.atomic
def record_council_decision(
    *, actor: Any, regime: Regime, outcome: str, protocol_number: str, decided_on: date
) -> Regime:
    """The IP department records the council's decision (UZ app. 3 §6); «не устанавливать» ends the restriction."""
    regime = Regime.objects.select_for_update().get(pk=regime.pk)
    require(actor, Action.TRADE_SECRET_KEEP, regime.organization)
    if regime.state != RegimeState.PRESENTED:
        raise _wrong_state(regime, RegimeState.PRESENTED)
    errors = {}
    if outcome not in CouncilOutcome.values:
        errors["council_outcome"] = _("Выберите решение совета.")
    if not protocol_number.strip():
        errors["council_protocol_number"] = _("Укажите номер протокола совета.")
    if decided_on > timezone.localdate() or decided_on < regime.presented_on:
        errors["council_decided_on"] = _("Дата решения — не раньше представления и не позже сегодняшнего дня.")
    if errors:
        raise invalid(errors)
    regime.council_outcome = outcome
    regime.council_protocol_number = protocol_number.strip()
    regime.council_decided_on = decided_on
    regime.state = RegimeState.COUNCIL_DECIDED if outcome == CouncilOutcome.PROTECT else RegimeState.REFUSED
    regime.save()
    if regime.state == RegimeState.REFUSED:
        _close_all(regime, actor, decided_on, _("совет не установил режим"))
        sealing.unseal(regime)
    notify.council_decided(regime)
    return regime


@dataclass(frozen=True)
class Approval:
    approved: bool
    approved_on: date
    order_number: str = ""
    access_list: tuple[Any, ...] = ()
    storage_place: str = ""
    storage_medium: str = ""
    copy_limit: int = 1
    holder_name: str = ""
    holder_address: str = ""


@transaction.atomic
def approve(*, actor: Any, regime: Regime, approval: Approval) -> Regime:
    """The head (or the deputy for science) approves the council's decision and the access list (UZ app. 3 §7), or
    does not (the regime is refused and the content unsealed). The list replaces the provisional one: whoever is not
    on it loses access the same day."""
    regime = Regime.objects.select_for_update().get(pk=regime.pk)
    require(actor, Action.TRADE_SECRET_APPROVE, regime.organization)
    if regime.state != RegimeState.COUNCIL_DECIDED:
        raise _wrong_state(regime, RegimeState.COUNCIL_DECIDED)
    on = approval.approved_on
    if on > timezone.localdate() or (regime.council_decided_on and on < regime.council_decided_on):
        raise invalid({"approved_on": _("Дата утверждения — не раньше решения совета и не позже сегодняшнего дня.")})
    regime.approved_by = actor
    regime.approved_on = on
    regime.approval_order_number = approval.order_number.strip()
    if not approval.approved:
        regime.state = RegimeState.REFUSED
        regime.save()
        _close_all(regime, actor, on, _("руководитель не утвердил режим"))
        sealing.unseal(regime)
        return regime
    errors = {}
    if not approval.access_list:
        errors["access_list"] = _("Список допуска не может быть пустым: кто-то хранит РИД.")
    elif any(not u.is_active or not is_colleague(u, regime.organization) for u in approval.access_list):
        errors["access_list"] = _("В списке допуска — только действующие работники этой организации.")
    if approval.storage_medium and approval.storage_medium not in StorageMedium.values:
        errors["storage_medium"] = _("Выберите носитель из списка.")
    if approval.copy_limit < 1:
        errors["copy_limit"] = _("Предельное число копий — не меньше одной.")
    if errors:
        raise invalid(errors)
    regime.storage_place = approval.storage_place.strip()
    regime.storage_medium = approval.storage_medium
    regime.copy_limit = approval.copy_limit
    regime.holder_name = approval.holder_name.strip() or regime.holder_name
    regime.holder_address = approval.holder_address.strip()
    regime.state = RegimeState.IN_FORCE
    regime.save()
    wanted = {user.pk: user for user in approval.access_list}
    for grant in AccessGrant.objects.filter(regime=regime, removed_on__isnull=True):
        if grant.user_id not in wanted:
            close_grant(grant, on=on, by=actor, reason=_("не включён в утверждённый список допуска"))
    listed = set(AccessGrant.objects.filter(regime=regime, removed_on__isnull=True).values_list("user_id", flat=True))
    for pk, user in wanted.items():
        if pk not in listed:
            grant = add_to_list(regime, user, on=on, by=actor, reason=_("утверждённый список допуска"))
            notify.listed(regime, user, grant.pk)
    return regime


def _close_all(regime: Regime, actor: Any, on: date, reason: str) -> None:
    for grant in AccessGrant.objects.filter(regime=regime, removed_on__isnull=True):
        close_grant(grant, on=on, by=actor, reason=reason)
