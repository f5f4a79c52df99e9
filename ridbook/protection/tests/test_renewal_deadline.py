"""A design's term ends after 5 years unless renewed (Civil Code art. 1363 p. 4): in its last year the IP department
has the deadline «Продлить срок действия на 5 лет», due on the term's last day; recording the renewal clears it; the
25th year's design (no renewal left) and a design with years to go have none."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ridbook.deadlines.models import StoredDeadline
from ridbook.deadlines.registry import deadlines_for
from ridbook.deadlines.store import refresh_all
from ridbook.protection import services
from ridbook.protection.choices import EventKind
from ridbook.protection.models import ProtectionDocument
from ridbook.protection.rules.terms import add_years
from ridbook.protection.tests.conftest import decided_rid

pytestmark = pytest.mark.django_db


def _design(officer, org_tree, number: str, filed):
    rid = decided_rid(officer, org_tree, kind="industrial_design", title=f"Корпус прибора {number}")
    return services.document_create(
        actor=officer, rid=rid, kind="industrial_design", number=number, filing_date=filed, granted_on=filed
    )


def _renewals(user, today):
    return [d for d in deadlines_for(user, today, computed=True) if d.source == "protection.renewal"]


def test_the_last_year_of_a_design_asks_for_its_renewal(officer, org_tree, rates):
    today = timezone.localdate()
    ending = _design(officer, org_tree, "140001", add_years(today, -5) + timedelta(days=60))
    _design(officer, org_tree, "140002", add_years(today, -2))  # years to go: nothing yet
    last = _design(officer, org_tree, "140003", add_years(today, -25) + timedelta(days=60))
    ProtectionDocument.objects.filter(pk=last.pk).update(renewals=4)  # 25 years: nothing left to renew

    expires_on = services.document_expiry(ending).expires_on
    (deadline,) = _renewals(officer, today)
    assert deadline.key == f"protection.renewal:document:{ending.pk}:1"
    assert deadline.due == expires_on and today < expires_on <= today + timedelta(days=60)
    assert "1363" in deadline.rule and "не сверено" in deadline.rule
    refresh_all()
    stored = StoredDeadline.objects.get(source="protection.renewal")
    assert (stored.key, stored.due) == (deadline.key, deadline.due)

    services.event_record(actor=officer, document=ending, kind=EventKind.RENEWED, on=today)
    assert _renewals(officer, today) == []
    assert not StoredDeadline.objects.filter(source="protection.renewal").exists()  # the write refreshed it
    assert services.document_expiry(ProtectionDocument.objects.get(pk=ending.pk)).expires_on == add_years(expires_on, 5)


def test_another_tree_never_sees_the_renewal(officer, org_tree, rates, personas):
    from ridbook.accounts.roles import Role
    from ridbook.testing.factories import persona

    today = timezone.localdate()
    _design(officer, org_tree, "140004", add_years(today, -5) + timedelta(days=30))
    stranger = persona(Role.IP_OFFICER, org_tree["holding"], username="holding-officer")
    assert _renewals(stranger, today) == []
    assert len(_renewals(officer, today)) == 1
