"""The registry's and the commission's providers: stable keys, owners, RIDs, organizations; the scope."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.utils import timezone

from ridbook.accounts.roles import Role
from ridbook.commission import services as cs
from ridbook.deadlines.registry import Scope, deadlines_for
from ridbook.testing.world import build_world

pytestmark = pytest.mark.django_db


def test_keys_owners_and_scope():
    a, b = build_world("Альфин", "a"), build_world("Бетин", "b")
    today = timezone.localdate()
    officer = a.users[Role.IP_OFFICER]
    mine = {d.key: d for d in deadlines_for(officer, today)}
    decision = mine[f"registry.decision:rid:{a.accepted.pk}"]
    assert decision.rid_id == a.accepted.pk and decision.rid_number == a.accepted.number
    assert decision.organization_id == a.accepted.organization_id and decision.owner is None
    assert str(decision.kind) == "решение комиссии" and decision.source == "registry.decision"
    # a member's meeting is his own; the IP officer sees it only over his organizations
    secretary, member = a.users[Role.COMMISSION_SECRETARY], a.users[Role.COMMISSION_MEMBER]
    later = cs.meeting_schedule(actor=secretary, commission=a.commission, on=today + timedelta(days=30), at=time(15, 0))
    key = f"commission.meeting:meeting:{later.pk}"
    assert key not in {d.key for d in deadlines_for(officer, today)}
    overseen = {d.key: d for d in deadlines_for(officer, today, Scope.ORGANIZATION)}
    assert key in overseen and overseen[key].organization_id == a.commission.organization_id
    assert set(mine) <= set(overseen)
    members = {d.key: d for d in deadlines_for(member, today, Scope.ORGANIZATION)}  # may not oversee: his own
    assert key in members and f"registry.decision:rid:{a.accepted.pk}" not in members
    assert f"commission.notice:meeting:{later.pk}" in {d.key for d in deadlines_for(secretary, today)}
    # never the other tree's
    assert not any(d.organization_id in {b.root.pk, b.department.pk} for d in overseen.values())
    assert all(b.tag not in str(d.title) + str(d.organization) for d in overseen.values())
    assert {d.key for d in deadlines_for(b.users[Role.IP_OFFICER], today, Scope.ORGANIZATION)}.isdisjoint(overseen)
