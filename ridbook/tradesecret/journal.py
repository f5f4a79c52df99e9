"""Appending to the access journal and checking its chain (see ``models/journal.py``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ridbook.tradesecret.models import JournalEntry, JournalHead, Regime
from ridbook.tradesecret.models.journal import GENESIS


def _user_label(user: Any) -> str:
    if user is None or not getattr(user, "is_authenticated", False):
        return _("аноним")
    return (getattr(user, "full_name", "") or user.get_username())[:200]


def _remote_address(request: Any) -> str:
    if request is None:
        return ""
    from ridbook.security.signin import client_address

    return (client_address(request) or "")[:100]


def record(
    regime: Regime,
    *,
    user: Any,
    action: str,
    granted: bool,
    what: str = "",
    channel: str = "",
    copy_number: int | None = None,
    request: Any = None,
    reason: str = "",
) -> JournalEntry:
    """Append one entry, linked to the newest one. The head row is locked meanwhile, so two appends never take the
    same predecessor. It joins the caller's transaction: record a refusal outside the refused write's transaction
    (a refused read has none), or the refusal is rolled back with it."""
    with transaction.atomic():
        head, _created = JournalHead.objects.select_for_update().get_or_create(pk=1)
        entry = JournalEntry(
            at=timezone.now(),
            organization_id=regime.organization_id,
            regime=regime,
            user_id_value=getattr(user, "pk", None),
            user_label=_user_label(user),
            action=action,
            granted=granted,
            what=what[:300],
            channel=channel[:40],
            copy_number=copy_number,
            remote_address=_remote_address(request),
            reason=reason[:300],
            prev_hash=head.last_hash,
        )
        entry.hash = entry.compute_hash()
        entry.save()
        JournalHead.objects.filter(pk=1).update(last_hash=entry.hash, entries=head.entries + 1)
    return entry


@dataclass(frozen=True)
class Break:
    entry_id: int | None
    message: str


def verify() -> Break | None:
    """The first broken link of the chain, or ``None`` when the journal is whole."""
    previous = GENESIS
    count = 0
    for entry in JournalEntry.objects.order_by("id").iterator(chunk_size=2000):
        count += 1
        if entry.prev_hash != previous:
            return Break(
                entry.pk,
                _("Запись № %(id)s: ссылка на предыдущую запись не сходится — предыдущая запись изменена или удалена.")
                % {"id": entry.pk},
            )
        if entry.compute_hash() != entry.hash:
            return Break(entry.pk, _("Запись № %(id)s изменена после записи в журнал.") % {"id": entry.pk})
        previous = entry.hash
    head = JournalHead.objects.filter(pk=1).first()
    expected_hash, expected_count = (head.last_hash, head.entries) if head else (GENESIS, 0)
    if previous != expected_hash or count != expected_count:
        return Break(
            None,
            _("Журнал кончается не там, где должен: записей %(count)s из %(expected)s — последние записи удалены.")
            % {"count": count, "expected": expected_count},
        )
    return None


# --- anchors: the chain's head written down outside the database ---------------------------------------------------
#
# A chain of plain hashes proves that no row was changed *unless* the whole chain after it was recomputed, which
# someone with write access to the database can do. An anchor — «after N entries the chain's hash was H», kept where
# the database's users cannot write (a file on another machine, the paper journal) — closes that: a recomputed chain no
# longer passes through the anchored hashes.


@dataclass(frozen=True)
class Anchor:
    entries: int
    hash: str


def head() -> Anchor:
    """The chain's head now: the number of entries and the newest entry's hash."""
    row = JournalHead.objects.filter(pk=1).first()
    return Anchor(row.entries, row.last_hash) if row else Anchor(0, GENESIS)


def check_anchors(anchors: list[Anchor]) -> Break | None:
    """Does the chain still pass through every anchor (the hash of its N-th entry, in the order of ids)?"""
    for anchor in sorted(anchors, key=lambda a: a.entries):
        if anchor.entries == 0:
            continue
        entry = JournalEntry.objects.order_by("id")[anchor.entries - 1 : anchor.entries].first()
        if entry is None or entry.hash != anchor.hash:
            return Break(
                entry.pk if entry else None,
                _(
                    "Цепочка не проходит через отметку «%(count)s записей»: журнал переписан после того, как отметка "
                    "была сделана."
                )
                % {"count": anchor.entries},
            )
    return None
