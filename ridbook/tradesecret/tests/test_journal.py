"""The access journal: append-only in the application, its hash chain broken by any change in the database."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection

from ridbook.organizations.models import Organization
from ridbook.registry import services as rs
from ridbook.tradesecret import journal
from ridbook.tradesecret.models import JournalEntry, Regime
from ridbook.tradesecret.models.journal import JournalAppendOnly

pytestmark = pytest.mark.django_db


@pytest.fixture
def regime(django_user_model):
    org = Organization.objects.create(name="НИИ", short_name="НИИ", kind="institute")
    officer = django_user_model.objects.create_user("officer", password="x", is_superuser=True)
    rid = rs.rid_create(actor=officer, organization=org, kind="know_how", title="Секрет производства")
    return Regime.objects.create(rid=rid, organization=org, presented_on=date(2026, 11, 1))


def _three(regime: Regime) -> list[JournalEntry]:
    return [
        journal.record(regime, user=None, action="view", granted=False, what="описание", channel="page"),
        journal.record(regime, user=None, action="download", granted=False, what="описание.pdf", channel="api"),
        journal.record(regime, user=None, action="view", granted=False, what="реферат", channel="search"),
    ]


def test_a_whole_chain_verifies(regime):
    entries = _three(regime)
    assert journal.verify() is None
    assert [e.prev_hash for e in entries[1:]] == [e.hash for e in entries[:-1]]


def test_the_application_neither_changes_nor_deletes(regime):
    entry = _three(regime)[0]
    entry.what = "другое"
    with pytest.raises(JournalAppendOnly):
        entry.save()
    with pytest.raises(JournalAppendOnly):
        entry.delete()
    with pytest.raises(JournalAppendOnly):
        JournalEntry.objects.filter(pk=entry.pk).update(what="другое")
    with pytest.raises(JournalAppendOnly):
        JournalEntry.objects.all().delete()


def _sql(statement: str, *params: str | int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_a_row_changed_in_the_database_is_found(regime):
    entries = _three(regime)
    _sql("UPDATE tradesecret_journalentry SET what = %s WHERE id = %s", "подмена", entries[1].pk)
    broken = journal.verify()
    assert broken is not None and broken.entry_id == entries[1].pk


def test_a_row_deleted_in_the_database_is_found(regime):
    entries = _three(regime)
    _sql("DELETE FROM tradesecret_journalentry WHERE id = %s", entries[1].pk)
    broken = journal.verify()
    assert broken is not None and broken.entry_id == entries[2].pk


def test_the_newest_row_deleted_is_found(regime):
    entries = _three(regime)
    _sql("DELETE FROM tradesecret_journalentry WHERE id = %s", entries[2].pk)
    broken = journal.verify()
    assert broken is not None and broken.entry_id is None and "2" in broken.message


def test_a_reordered_row_is_found(regime):
    """Two entries swapped (their ids exchanged): the second one no longer links to the first."""
    entries = _three(regime)
    _sql("UPDATE tradesecret_journalentry SET id = %s WHERE id = %s", 1000, entries[1].pk)
    _sql("UPDATE tradesecret_journalentry SET id = %s WHERE id = %s", entries[1].pk, entries[2].pk)
    _sql("UPDATE tradesecret_journalentry SET id = %s WHERE id = %s", entries[2].pk, 1000)
    broken = journal.verify()
    assert broken is not None and broken.entry_id == entries[1].pk


def test_a_row_inserted_in_the_middle_is_found(regime):
    """A forged entry put between two others (linked to the one before it, its own hash right): the next entry does
    not link to it."""
    first, second, _third = _three(regime)
    gap = first.pk + 1000
    for entry in reversed((second, _third)):  # make room between the first and the second entry
        _sql("UPDATE tradesecret_journalentry SET id = %s WHERE id = %s", entry.pk + 2000, entry.pk)
    forged = JournalEntry(
        id=gap,
        at=first.at,
        organization_id=regime.organization_id,
        regime=regime,
        user_label="подлог",
        action="view",
        granted=True,
        prev_hash=first.hash,
    )
    forged.hash = forged.compute_hash()
    forged.save(force_insert=True)
    broken = journal.verify()
    assert broken is not None and broken.entry_id == second.pk + 2000


def test_a_chain_rewritten_whole_misses_its_anchor(regime, tmp_path, capsys):
    from django.core.management import call_command

    from ridbook.tradesecret.models import JournalHead

    entries = _three(regime)
    anchors = tmp_path / "anchors.txt"
    call_command("verify_tradesecret_journal", anchors=anchors)
    assert "цепочка цела, 3 записей" in capsys.readouterr().out
    assert anchors.read_text().split()[:2] == ["3", entries[2].hash]
    # someone with write access to the database forges the second entry and recomputes the rest of the chain
    forged = list(JournalEntry.objects.order_by("id"))
    forged[1].what = "подмена"
    previous = forged[0].hash
    for entry in forged[1:]:
        entry.prev_hash = previous
        entry.hash = entry.compute_hash()
        _sql(
            "UPDATE tradesecret_journalentry SET what = %s, prev_hash = %s, hash = %s WHERE id = %s",
            entry.what,
            entry.prev_hash,
            entry.hash,
            entry.pk,
        )
        previous = entry.hash
    _sql("UPDATE tradesecret_journalhead SET last_hash = %s WHERE id = %s", previous, JournalHead.objects.get().pk)
    assert journal.verify() is None  # the chain alone cannot tell
    with pytest.raises(SystemExit) as exit_:
        call_command("verify_tradesecret_journal", anchors=anchors)
    assert exit_.value.code == 1
    assert "не проходит через отметку «3 записей»" in capsys.readouterr().err
    assert len(anchors.read_text().splitlines()) == 1  # a broken journal adds no anchor
