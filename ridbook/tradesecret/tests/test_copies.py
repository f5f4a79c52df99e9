"""Copies: numbered, counted against the limit (copies in existence: issued and returned), refused beyond it; return
and destruction recorded; every step journaled."""

from __future__ import annotations

from datetime import date

import pytest

from ridbook.core.errors import DomainError, PermissionDeniedError
from ridbook.tradesecret.models import AccessGrant, JournalEntry
from ridbook.tradesecret.services import copies as cs
from ridbook.tradesecret.services import use as us

pytestmark = pytest.mark.django_db


def _make(officer, regime, **kw):
    kw.setdefault("issued_to", officer)
    return cs.copy_make(actor=officer, regime=regime, medium="paper", purpose="работа с документацией", **kw)


def test_copies_are_numbered_and_refused_beyond_the_limit(officer, regime):
    first, second = _make(officer, regime), _make(officer, regime)
    assert (first.number, second.number) == (1, 2)
    with pytest.raises(DomainError) as refused:
        _make(officer, regime)
    assert refused.value.code == "copy_limit"
    assert "предел копий по решению — 2" in refused.value.message
    assert regime.copies.count() == 2
    refusal = JournalEntry.objects.filter(regime=regime, action="copy", granted=False).get()
    assert "предел" in refusal.reason


def test_a_returned_copy_still_counts_a_destroyed_one_does_not(officer, regime):
    first, _second = _make(officer, regime), _make(officer, regime)
    cs.copy_return(actor=officer, copy=first)
    with pytest.raises(DomainError):
        _make(officer, regime)
    cs.copy_destroy(actor=officer, copy=first, note="акт № 5, измельчение")
    third = _make(officer, regime)
    assert third.number == 3  # numbers are never reused
    assert cs.existing_copies(regime) == 2


def test_every_step_is_journaled(officer, regime):
    copy = _make(officer, regime)
    cs.copy_return(actor=officer, copy=copy, on=copy.made_on)
    cs.copy_destroy(actor=officer, copy=copy, note="акт № 1")
    entries = list(JournalEntry.objects.filter(regime=regime).values_list("action", "copy_number", "granted"))
    assert entries == [("copy", 1, True), ("copy_return", 1, True), ("copy_destroy", 1, True)]


def test_return_and_destroy_follow_the_states(officer, regime):
    copy = _make(officer, regime)
    cs.copy_destroy(actor=officer, copy=copy)
    with pytest.raises(DomainError, match="только выданную"):
        cs.copy_return(actor=officer, copy=copy)
    with pytest.raises(DomainError, match="уже уничтожена"):
        cs.copy_destroy(actor=officer, copy=copy)


def test_only_the_ip_department_and_only_while_the_regime_restricts(officer, author, regime):
    with pytest.raises(PermissionDeniedError):
        cs.copy_make(actor=author, regime=regime, medium="paper", purpose="x", issued_to=officer)
    regime.state = "ended"
    regime.save()
    with pytest.raises(DomainError, match="не действует"):
        _make(officer, regime)


def test_a_person_off_the_access_list_needs_an_order(officer, head, regime):
    with pytest.raises(DomainError, match="только по распоряжению"):
        _make(officer, regime, issued_to=None, issued_to_name="Петров П.П., подрядчик")
    order = us.order_record(
        actor=officer, regime=regime, number="12-р", signed_on=date(2026, 3, 1), signed_by=head, use="опытная партия"
    )
    copy = _make(officer, regime, issued_to=None, issued_to_name="Петров П.П., подрядчик", use_order=order)
    assert copy.use_order == order and copy.basis == str(order)


def test_a_removed_grant_is_not_the_access_list(officer, personas, regime):
    from ridbook.accounts.roles import Role

    member = personas[Role.COMMISSION_MEMBER]
    AccessGrant.objects.create(regime=regime, user=member, added_on=date(2026, 2, 1), removed_on=date(2026, 3, 1))
    with pytest.raises(DomainError, match="только по распоряжению"):
        _make(officer, regime, issued_to=member)
