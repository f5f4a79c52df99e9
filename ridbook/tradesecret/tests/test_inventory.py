"""The yearly inventory: opened per legal entity and year, checked entry by entry, closed with an act listing what
changed since the last closed act; its deadline (15 December) from the platform's provider."""

from __future__ import annotations

import io
from datetime import date

import pytest
from docx import Document

from ridbook.core.errors import DomainError
from ridbook.deadlines.registry import deadlines_for
from ridbook.tradesecret.models import AccessGrant
from ridbook.tradesecret.services import copies as cs
from ridbook.tradesecret.services import inventory as inv
from ridbook.tradesecret.services.disclosure import regime_disclose

from .conftest import make_regime

pytestmark = pytest.mark.django_db


def _check_all(officer, inventory, storage="Сейф № 3, к. 214"):
    for entry in inventory.entries.all():
        inv.entry_record(
            actor=officer, entry=entry, result="found", creation_place="Кафедра", storage_place=storage, use_place=""
        )


def _act_text(inventory) -> str:
    with inventory.act_docx.open("rb") as stored:
        document = Document(io.BytesIO(stored.read()))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_an_inventory_is_closed_only_when_every_entry_is_checked(officer, org_tree, regime, today):
    inventory = inv.inventory_open(actor=officer, organization=org_tree["department"], year=today.year)
    assert inventory.organization == org_tree["university"]  # the legal entity
    entry = inventory.entries.get()
    assert entry.storage_place == "Сейф № 3, к. 214" and entry.result == "pending"
    with pytest.raises(DomainError, match="Не проверены"):
        inv.inventory_close(actor=officer, inventory=inventory, act_number="1")
    with pytest.raises(DomainError, match="опишите обстоятельства"):
        inv.entry_record(
            actor=officer, entry=entry, result="missing", creation_place="", storage_place="Сейф", use_place=""
        )
    _check_all(officer, inventory)
    closed = inv.inventory_close(actor=officer, inventory=inventory, act_number="1")
    text = _act_text(closed)
    assert "АКТ № 1" in text and regime.rid.number in text and "взяты на учёт впервые" in text
    with pytest.raises(DomainError, match="уже начат"):
        inv.inventory_open(actor=officer, organization=org_tree["university"], year=today.year)
    with pytest.raises(DomainError, match="закрыт"):
        inv.entry_record(actor=officer, entry=entry, result="found", creation_place="", storage_place="С", use_place="")


def test_the_act_lists_what_changed_since_the_last_one(officer, personas, org_tree, regime, today):
    from ridbook.accounts.roles import Role

    last_year = today.year - 1
    first = inv.inventory_open(
        actor=officer, organization=org_tree["university"], year=last_year, on=date(today.year, 1, 1)
    )
    _check_all(officer, first)
    first = inv.inventory_close(actor=officer, inventory=first, act_number="7", on=date(today.year, 1, 1))
    # after the act: a new regime, the storage moved, an access granted and one removed, copies made and destroyed,
    # a regime ended by disclosure
    added = make_regime(officer, org_tree, title="Состав смазки")
    ended = make_regime(officer, org_tree, title="Режим обжига")
    inv_regimes = [regime, added]
    member = personas[Role.COMMISSION_MEMBER]
    AccessGrant.objects.create(regime=regime, user=member, added_on=today)
    AccessGrant.objects.filter(regime=regime, user=officer).update(removed_on=today)
    AccessGrant.objects.create(regime=added, user=officer, added_on=today)
    copy = cs.copy_make(actor=officer, regime=added, medium="paper", purpose="испытания", issued_to=officer)
    cs.copy_destroy(actor=officer, copy=copy, note="акт № 3")
    regime_disclose(actor=officer, regime=ended, on=today, details="публикация")
    second = inv.inventory_open(actor=officer, organization=org_tree["university"], year=today.year)
    assert {e.regime_id for e in second.entries.all()} == {r.pk for r in inv_regimes}
    _check_all(officer, second, storage="Архив, стеллаж 2")
    second = inv.inventory_close(actor=officer, inventory=second, act_number="8")
    changes = second.changes
    assert changes["previous"]["number"] == "7"
    assert changes["added"] == [added.rid.number]
    assert [m["number"] for m in changes["moved"]] == [regime.rid.number]
    assert [e["number"] for e in changes["ended"]] == [ended.rid.number]
    assert {a["number"] for a in changes["access_added"]} == {regime.rid.number, added.rid.number, ended.rid.number}
    # the provisional lists (presenter and authors) closed by each approval, and the officer's access to «regime» today
    removed = {(a["number"], a["on"]) for a in changes["access_removed"]}
    assert {number for number, _on in removed} == {regime.rid.number, added.rid.number, ended.rid.number}
    assert (regime.rid.number, today.isoformat()) in removed
    assert [(c["number"], c["copy"]) for c in changes["copies_made"]] == [(added.rid.number, 1)]
    assert [(c["number"], c["copy"]) for c in changes["copies_destroyed"]] == [(added.rid.number, 1)]
    text = _act_text(second)
    assert "Изменения с акта № 7" in text
    assert f"Взят на учёт: {added.rid.number}" in text
    assert f"Режим прекращён: {ended.rid.number}" in text
    assert "«Сейф № 3, к. 214» → «Архив, стеллаж 2»" in text
    assert f"Уничтожен экземпляр № 1 {added.rid.number}" in text


def test_the_deadline_is_15_december_and_done_with_the_act(officer, org_tree, regime, today):
    key = f"tradesecret.inventory:{org_tree['university'].pk}:{today.year}"
    found = [d for d in deadlines_for(officer, today) if d.key == key]
    assert len(found) == 1 and found[0].due == date(today.year, 12, 15) and found[0].is_open()
    assert found[0].owner is None  # the IP department's, by role: the platform reminds 30/7/1 days before
    inventory = inv.inventory_open(actor=officer, organization=org_tree["university"], year=today.year)
    _check_all(officer, inventory)
    inv.inventory_close(actor=officer, inventory=inventory, act_number="1")
    done = [d for d in deadlines_for(officer, today) if d.key == key]
    assert not done[0].is_open()


def test_no_deadline_without_a_regime_or_for_other_roles(officer, author, org_tree, today):
    assert not [d for d in deadlines_for(officer, today) if d.source == "tradesecret.inventory"]
    make_regime(officer, org_tree)
    assert not [d for d in deadlines_for(author, today) if d.source == "tradesecret.inventory"]


def test_the_platform_reminds_the_ip_department(officer, org_tree, regime, today, django_capture_on_commit_callbacks):
    from django.core import mail

    from ridbook.deadlines.tasks import send_deadline_reminders

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        send_deadline_reminders.delay(date(today.year, 11, 15).isoformat()).get()  # 30 days before 15 December
    subjects = [m.subject for m in mail.outbox if m.to == [officer.email]]
    assert any("Акт учёта РИД в режиме коммерческой тайны" in s and f"15.12.{today.year}" in s for s in subjects)
