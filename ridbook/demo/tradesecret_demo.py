"""A demo know-how in the regime of trade secret (``load_demo``): presented by ``divhead``, the council's decision
recorded by ``ipofficer``, approved by ``approver`` with ``ipofficer`` on the access list. ``iphead``, ``admin`` and
``auditor`` see the register fields only (and the journal). Skipped without a key (``create_tradesecret_key``)."""

from __future__ import annotations

from django.utils import timezone

from ridbook.accounts.models import User
from ridbook.organizations.models import Organization
from ridbook.registry import services as rs
from ridbook.tradesecret import crypto
from ridbook.tradesecret.models import Regime
from ridbook.tradesecret.services import regime as services


def demo_trade_secret() -> int:
    if Regime.objects.exists() or not crypto.configured_keys():
        return 0
    users = {u.username: u for u in User.objects.filter(username__in=["author", "ipofficer", "divhead", "approver"])}
    org = Organization.objects.filter(short_name="Кафедра САПР").first()
    if len(users) < 4 or org is None:
        return 0
    rid = rs.rid_create(
        actor=users["author"],
        organization=org,
        kind="know_how",
        title="Технологический регламент объёмной закалки рельсов",
        purpose="Повышение износостойкости головки рельса",
        abstract="Режим закалки: нагрев до 850 °C, выдержка 12 мин, охлаждение водовоздушной смесью 40 с.",
        uses="Рельсовые заводы, ремонт рельсов",
        keywords=["закалка", "рельс", "регламент"],
        trade_secret=True,
    )
    today = timezone.localdate()
    regime = services.present(actor=users["divhead"], rid=rid, commercial_value="снижает брак на 12 %")
    services.record_council_decision(
        actor=users["ipofficer"], regime=regime, outcome="protect", protocol_number="НТС-3", decided_on=today
    )
    services.approve(
        actor=users["approver"],
        regime=regime,
        approval=services.Approval(
            approved=True,
            approved_on=today,
            order_number="115-р",
            access_list=(users["ipofficer"],),
            storage_place="Подразделение по ИС, сейф № 2",
            storage_medium="electronic",
            copy_limit=2,
            holder_address="394006, г. Воронеж, ул. 20-летия Октября, 84",
        ),
    )
    return 1
