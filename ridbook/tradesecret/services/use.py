"""Use orders and transfer contracts (UZ app. 3 §15–16): recorded by the IP department; an order is signed by the
head (a user who may approve the regime, ``TRADE_SECRET_APPROVE``); a transfer needs an order and a written contract
binding the receiver to confidentiality, with the contract's own registration number."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.ru import inn as stdnum_inn
from stdnum.ru import ogrn as stdnum_ogrn

from ridbook.accounts.permissions import Action, can, is_colleague
from ridbook.core.errors import DomainError, invalid
from ridbook.tradesecret import journal
from ridbook.tradesecret.models import JournalAction, Regime, TransferContract, UseOrder
from ridbook.tradesecret.services.common import past_or_today, require_keep, require_restricting


def require_order_in_force(order: UseOrder, on: date) -> None:
    if order.signed_on > on or (order.until is not None and order.until < on):
        raise invalid(
            {"use_order": _("%(order)s не действует на %(day)s.") % {"order": order, "day": on.strftime("%d.%m.%Y")}},
            _("Действие не записано"),
        )


def order_record(
    *,
    actor: Any,
    regime: Regime,
    number: str,
    signed_on: date,
    signed_by: Any,
    use: str,
    until: date | None = None,
) -> UseOrder:
    """Распоряжение руководителя об использовании (иначе, чем ознакомление лиц из списка допуска)."""
    require_keep(actor, regime)
    require_restricting(regime)
    signed_on = past_or_today(signed_on, _("Дата распоряжения"))
    if signed_by is None or not is_colleague(signed_by, regime.organization):
        raise DomainError(_("Пользователь не найден среди работников этой организации."), code="not_found", status=404)
    errors: dict[str, str] = {}
    if not number.strip():
        errors["number"] = _("Укажите номер распоряжения.")
    if not use.strip():
        errors["use"] = _("Укажите, какое использование разрешено.")
    if not can(signed_by, Action.TRADE_SECRET_APPROVE, regime.organization):
        errors["signed_by"] = _(
            "Распоряжение подписывает руководитель (заместитель по науке и инновациям), утверждающий режим "
            "коммерческой тайны этой организации."
        )
    if until is not None and until < signed_on:
        errors["until"] = _("Срок действия распоряжения не может кончаться раньше его даты.")
    if errors:
        raise invalid(errors, _("Распоряжение не записано"))
    with transaction.atomic():
        return UseOrder.objects.create(
            regime=regime,
            number=number.strip(),
            signed_on=signed_on,
            signed_by=signed_by,
            use=use.strip(),
            until=until,
            recorded_by=actor,
        )


def _party_errors(name: str, inn: str, ogrn: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not name.strip():
        errors["counterparty_name"] = _("Укажите получающую сторону.")
    if inn:
        try:
            stdnum_inn.validate(inn)
        except StdnumError:
            errors["counterparty_inn"] = _("ИНН «%(inn)s» неверен (контрольные цифры не сходятся).") % {"inn": inn}
    if ogrn:
        try:
            stdnum_ogrn.validate(ogrn)
        except StdnumError:
            errors["counterparty_ogrn"] = _("ОГРН «%(ogrn)s» неверен (контрольная цифра не сходится).") % {"ogrn": ogrn}
    if not inn and not ogrn:
        errors["counterparty_inn"] = _("Укажите ИНН или ОГРН получающей стороны.")
    return errors


def contract_record(
    *,
    actor: Any,
    regime: Regime,
    use_order: UseOrder | None,
    counterparty_name: str,
    number: str,
    signed_on: date,
    registration_number: str,
    confidentiality: str,
    scope: str,
    counterparty_inn: str = "",
    counterparty_ogrn: str = "",
    channel: str = "page",
    request: Any = None,
) -> TransferContract:
    """Передача по письменному договору с обязательством получающей стороны о конфиденциальности (п. 16)."""
    require_keep(actor, regime)
    require_restricting(regime)
    signed_on = past_or_today(signed_on, _("Дата договора"))
    if not confidentiality.strip():
        raise invalid(
            {
                "confidentiality": _(
                    "Передача без обязательства получающей стороны соблюдать конфиденциальность запрещена "
                    "(Положение, п. 16): впишите это условие договора."
                )
            },
            _("Передача не записана"),
        )
    inn, ogrn = counterparty_inn.strip(), counterparty_ogrn.strip()
    errors = _party_errors(counterparty_name, inn, ogrn)
    if use_order is None:
        errors["use_order"] = _("Передача — это использование: укажите распоряжение руководителя (Положение, п. 15).")
    elif use_order.regime_id != regime.pk:
        errors["use_order"] = _("Распоряжение относится к другому РИД.")
    if not number.strip():
        errors["number"] = _("Укажите номер договора.")
    if not registration_number.strip():
        errors["registration_number"] = _("Укажите регистрационный номер договора.")
    if not scope.strip():
        errors["scope"] = _("Укажите объём и условия передачи.")
    if errors:
        raise invalid(errors, _("Передача не записана"))
    assert use_order is not None
    require_order_in_force(use_order, signed_on)
    with transaction.atomic():
        contract = TransferContract.objects.create(
            regime=regime,
            use_order=use_order,
            counterparty_name=counterparty_name.strip(),
            counterparty_inn=stdnum_inn.compact(inn) if inn else "",
            counterparty_ogrn=stdnum_ogrn.compact(ogrn) if ogrn else "",
            number=number.strip(),
            signed_on=signed_on,
            registration_number=registration_number.strip(),
            confidentiality=confidentiality.strip(),
            scope=scope.strip(),
            recorded_by=actor,
        )
        journal.record(
            regime,
            user=actor,
            action=JournalAction.TRANSFER,
            granted=True,
            what=str(contract),
            channel=channel,
            request=request,
            reason=_("рег. № %(n)s") % {"n": contract.registration_number},
        )
    return contract
