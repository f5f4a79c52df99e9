"""Demo commission of VGTU: seven members by order, and a meeting planned ten working days ahead (agenda empty:
the accepted demo RID waits in the queue for the secretary to build the agenda)."""

from __future__ import annotations

from datetime import date, time

from django.utils import timezone

from ridbook.accounts.models import User
from ridbook.commission import services as cs
from ridbook.commission.models import Commission
from ridbook.demo.data import COMMISSION_MEMBERS, COMMISSION_ORDER
from ridbook.organizations.models import Organization
from ridbook.workdays.calendar import add_working_days


def demo_commission() -> int:
    if Commission.objects.exists():
        return 0
    secretary = User.objects.get(username="secretary")
    university = Organization.objects.get(parent=None, kind="university")
    number, on = COMMISSION_ORDER
    commission = cs.commission_create(
        actor=secretary,
        organization=university,
        order_number=number,
        order_date=date.fromisoformat(on),
        default_place="г. Воронеж, ул. 20-летия Октября, 84, ауд. 1212",
    )
    for login, role, position in COMMISSION_MEMBERS:
        cs.member_add(
            actor=secretary, commission=commission, user=User.objects.get(username=login), role=role, position=position
        )
    day = add_working_days(timezone.localdate(), 10, university.country)
    cs.meeting_schedule(actor=secretary, commission=commission, on=day, at=time(15, 0))
    return 1
