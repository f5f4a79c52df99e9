"""Use orders (signed by the head) and transfer contracts (confidentiality required, ИНН/ОГРН checked)."""

from __future__ import annotations

from datetime import date

import pytest

from ridbook.core.errors import DomainError
from ridbook.tradesecret.models import JournalEntry
from ridbook.tradesecret.services import use as us

pytestmark = pytest.mark.django_db

INN, OGRN = "7707083893", "1027700132195"  # ПАО Сбербанк: valid check digits


def _order(officer, regime, head, **kw):
    values = {"number": "7-р", "signed_on": date(2026, 3, 2), "signed_by": head, "use": "передача по лицензии"}
    values.update(kw)
    return us.order_record(actor=officer, regime=regime, **values)


def _contract(officer, regime, order, **kw):
    values = {
        "use_order": order,
        "counterparty_name": "ООО «Рельсы»",
        "counterparty_inn": INN,
        "counterparty_ogrn": OGRN,
        "number": "Д-15",
        "signed_on": date(2026, 3, 10),
        "registration_number": "РД0456789",
        "confidentiality": "Получатель обязуется не раскрывать сведения третьим лицам (п. 5.1)",
        "scope": "Неисключительная лицензия на 3 года",
    }
    values.update(kw)
    return us.contract_record(actor=officer, regime=regime, **values)


def test_an_order_is_signed_by_the_head(officer, head, regime):
    with pytest.raises(DomainError, match="подписывает руководитель"):
        _order(officer, regime, officer)
    order = _order(officer, regime, head, until=date(2026, 12, 31))
    assert order.signed_by == head and str(order) == "Распоряжение № 7-р от 02.03.2026"


def test_a_transfer_without_confidentiality_is_refused(officer, head, regime):
    order = _order(officer, regime, head)
    with pytest.raises(DomainError) as refused:
        _contract(officer, regime, order, confidentiality="  ")
    assert "без обязательства получающей стороны соблюдать конфиденциальность запрещена" in refused.value.message
    assert not regime.contracts.exists()


def test_a_transfer_needs_an_order_and_valid_numbers(officer, head, regime):
    with pytest.raises(DomainError, match="распоряжение руководителя"):
        _contract(officer, regime, None)
    order = _order(officer, regime, head)
    with pytest.raises(DomainError, match="ИНН «7707083894» неверен"):
        _contract(officer, regime, order, counterparty_inn="7707083894")
    with pytest.raises(DomainError, match="ОГРН"):
        _contract(officer, regime, order, counterparty_ogrn="1027700132196")
    with pytest.raises(DomainError, match="регистрационный номер"):
        _contract(officer, regime, order, registration_number="")
    expired = _order(officer, regime, head, number="8-р", until=date(2026, 3, 5))
    with pytest.raises(DomainError, match=r"не действует на 10\.03\.2026"):
        _contract(officer, regime, expired)


def test_a_transfer_is_recorded_and_journaled(officer, head, regime):
    contract = _contract(officer, regime, _order(officer, regime, head))
    assert contract.registration_number == "РД0456789" and contract.counterparty_inn == INN
    entry = JournalEntry.objects.get(regime=regime, action="transfer")
    assert "Д-15" in entry.what and "РД0456789" in entry.reason
