"""The stored deadlines (:class:`~ridbook.deadlines.models.StoredDeadline`): refreshed from the stored providers
(:class:`~ridbook.deadlines.registry.Stored`) and read with the database's filters, order and paging.

* :func:`refresh_source` — every row of a provider as of a day (the daily job; a day the job has not run yet is
  refreshed by the first reader, :func:`ensure_fresh`): the new and changed rows upserted in batches in one
  transaction, the vanished keys deleted, the rest untouched; :class:`~ridbook.deadlines.models.StoredSource` records
  the day.
* :func:`refresh_objects` — the rows of some objects, as of the stored day: a write that changes a deadline's inputs
  (a fee paid, a schedule re-computed, a task synced) calls it in its own transaction, so no reader sees a stale row
  after the write returns.
* :func:`visible` — who sees which rows (the permission module's organizations: the same the providers use).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Collate
from django.utils import timezone, translation

from ridbook.deadlines.models import StoredDeadline, StoredSource
from ridbook.deadlines.registry import (
    SOON_DAYS,
    Deadline,
    Owner,
    Query,
    Row,
    Scope,
    State,
    Urgency,
    organization_ids_in_scope,
    stored_providers,
)

BATCH = 1000
ORDER = ("-state", "due", "title", "source", "seq")  # open first, overdue first (their due is earlier), by date
FIELDS = ["source", "anchor", "seq", "kind", "title", "due", "rule", "url", "organization_id", "owner_user_id"]
FIELDS += ["rid_id", "rid_number", "state", "escalate", "extra", "refreshed_at"]
COMPARED = [name for name in FIELDS if name != "refreshed_at"]


# --- refresh -------------------------------------------------------------------------------------------------------


def _languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def _rows(name: str, objects: Iterable[Any], today: date, stamp: Any) -> Iterator[list[StoredDeadline]]:
    """The provider's rows of ``objects``, a batch at a time; built in the source language, the texts in the other
    languages kept in ``extra``."""
    stored = stored_providers()[name]
    chunk: list[Any] = []

    def flush() -> list[StoredDeadline]:
        with translation.override(settings.LANGUAGE_CODE):
            rows = [row for obj in chunk for row in stored.build(obj, today)]
        others = {}
        for language in _languages():
            with translation.override(language):
                others[language] = [row.deadline for obj in chunk for row in stored.build(obj, today)]
        built = []
        for i, row in enumerate(rows):
            texts = {}
            for language, deadlines in others.items():
                other = deadlines[i]
                texts[language] = {"title": str(other.title), "rule": str(other.rule), "kind": str(other.kind)}
            built.append(_stored_row(name, row, texts, stamp))
        chunk.clear()
        return built

    for obj in objects:
        chunk.append(obj)
        if len(chunk) >= BATCH:
            yield flush()
    if chunk:
        yield flush()


def _stored_row(name: str, row: Row, texts: dict[str, dict[str, str]], stamp: Any) -> StoredDeadline:
    d = row.deadline
    if d.organization_id is None:
        raise ValueError(f"a stored deadline needs its organization: {d.key}")
    return StoredDeadline(
        key=d.key[:200],
        source=name,
        anchor=row.anchor,
        seq=row.seq,
        kind=str(d.kind)[:200],
        title=str(d.title)[:500],
        due=d.due,
        rule=str(d.rule)[:500],
        url=d.url[:300],
        organization_id=d.organization_id,
        owner_user_id=d.owner.user_id if d.owner else None,
        rid_id=d.rid_id,
        rid_number=(d.rid_number or "")[:50],
        state=d.state.value,
        escalate=d.escalate,
        extra={"extra": d.extra, "texts": texts} if d.extra else {"texts": texts},
        refreshed_at=stamp,
    )


def _values(row: StoredDeadline) -> tuple[Any, ...]:
    return tuple(getattr(row, name) for name in COMPARED)


def _write(name: str, objects: Iterable[Any], today: date, anchors: list[int] | None) -> int:
    """Write the rows that are new or changed (a bulk upsert), then delete the provider's rows (of ``anchors``) this
    refresh did not find. Unchanged rows are left alone: a day's refresh rewrites only what moved."""
    stamp = timezone.now()
    existing = StoredDeadline.objects.filter(source=name)
    if anchors is not None:
        existing = existing.filter(anchor__in=anchors)
    before = {key: (pk, tuple(values)) for pk, key, *values in existing.values_list("pk", "key", *COMPARED)}
    seen: set[str] = set()
    written = 0
    for batch in _rows(name, objects, today, stamp):
        seen.update(row.key for row in batch)
        changed = [row for row in batch if before.get(row.key, (None, None))[1] != _values(row)]
        StoredDeadline.objects.bulk_create(changed, update_conflicts=True, unique_fields=["key"], update_fields=FIELDS)
        written += len(batch)
    vanished = sorted(pk for key, (pk, _old) in before.items() if key not in seen)
    for start in range(0, len(vanished), BATCH):
        StoredDeadline.objects.filter(pk__in=vanished[start : start + BATCH]).delete()
    return written


def refresh_source(name: str, today: date) -> int:
    """Every row of the stored provider ``name`` as of ``today``, in one transaction. Returns the number of rows."""
    stored = stored_providers()[name]
    with transaction.atomic():
        marker, _created = StoredSource.objects.select_for_update().get_or_create(source=name, defaults={"day": today})
        written = _write(name, stored.objects(today, None), today, None)
        marker.day, marker.refreshed_at = today, timezone.now()
        marker.save()
    return written


def refresh_all(today: date | None = None) -> int:
    """The daily refresh of every stored provider; then, on PostgreSQL outside a transaction, what autovacuum would do
    within minutes: the statistics and the visibility map that let the page's counts read an index alone."""
    today = today or timezone.localdate()
    written = sum(refresh_source(name, today) for name in sorted(stored_providers()))
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM (ANALYZE) {StoredDeadline._meta.db_table}")
    return written


def ensure_fresh(today: date) -> None:
    """Refresh the stored providers whose rows are not of ``today`` (the daily job has not run yet)."""
    days = dict(StoredSource.objects.values_list("source", "day"))
    for name in sorted(stored_providers()):
        if days.get(name) != today:
            with transaction.atomic():
                marker = StoredSource.objects.select_for_update().filter(source=name).first()
                if marker is None or marker.day != today:  # not refreshed meanwhile by a concurrent reader
                    refresh_source(name, today)


def refresh_objects(name: str, anchors: Iterable[int]) -> None:
    """Re-compute the rows of the objects ``anchors`` of the stored provider ``name`` as of the stored day, in the
    caller's transaction. Nothing before the first refresh (the first reader refreshes the whole provider)."""
    anchors = sorted(set(anchors))
    if not anchors or name not in stored_providers():
        return
    with transaction.atomic():
        # the marker's lock orders this after (or before) a whole refresh running meanwhile, so neither writes rows
        # read before the other's commit
        day = StoredSource.objects.select_for_update().filter(source=name).values_list("day", flat=True).first()
        if day is None:
            return
        for start in range(0, len(anchors), BATCH):
            part = anchors[start : start + BATCH]
            _write(name, stored_providers()[name].objects(day, part), day, part)


def invalidate(names: Iterable[str]) -> None:
    """After a bulk write the providers' rows are refreshed whole by their next reader (:func:`ensure_fresh`)."""
    StoredSource.objects.filter(source__in=list(names)).delete()


# --- read ----------------------------------------------------------------------------------------------------------


def _in(ids: set[int] | None) -> Q:
    if ids is None:  # everywhere (not ``Q()``: an empty Q is dropped from an OR)
        return Q(organization_id__isnull=False)
    return Q(organization_id__in=sorted(ids)) if ids else Q(pk__in=[])


def visible(user: Any, scope: Scope | str) -> Q:
    """The stored rows ``user`` sees in ``scope``: his own (by name), the ownerless ones of the organizations where
    his role acts for the provider, and in ``Scope.ORGANIZATION`` those of the organizations he oversees."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    condition = Q(pk__in=[])
    for name, stored in sorted(stored_providers().items()):
        role = organization_ids_in_scope(user, Scope.MINE, *stored.actions)
        mine = Q(owner_user_id=user.pk) | (Q(owner_user__isnull=True) & _in(role))
        if Scope(scope) == Scope.ORGANIZATION and stored.scoped:
            mine |= _in(organization_ids_in_scope(user, scope, *stored.actions))
        condition |= Q(source=name) & mine
    return condition


def rows_visible(user: Any, today: date, scope: Scope | str) -> QuerySet[StoredDeadline]:
    ensure_fresh(today)
    return StoredDeadline.objects.filter(visible(user, scope))


def filtered(qs: QuerySet[StoredDeadline], query: Query, today: date) -> QuerySet[StoredDeadline]:
    """The page's filters, in the database (as :func:`ridbook.deadlines.selectors._filtered` filters in Python)."""
    if query.kind:
        qs = qs.filter(source=query.kind)
    if query.owner == "none":
        qs = qs.filter(owner_user__isnull=True)
    elif query.owner:
        qs = qs.filter(owner_user_id=int(query.owner))
    if query.rid:
        qs = qs.filter(rid_number__endswith=query.rid)
    if query.since:
        qs = qs.filter(due__gte=query.since)
    if query.until:
        qs = qs.filter(due__lte=query.until)
    soon = today + timedelta(days=SOON_DAYS)
    open_ = State.OPEN.value
    if query.state == State.DONE.value:
        qs = qs.filter(state=State.DONE.value)
    elif query.state == Urgency.OVERDUE.value:
        qs = qs.filter(state=open_, due__lt=today)
    elif query.state == Urgency.SOON.value:
        qs = qs.filter(state=open_, due__gte=today, due__lte=soon)
    elif query.state == Urgency.LATER.value:
        qs = qs.filter(state=open_, due__gt=soon)
    return qs


def groups(qs: QuerySet[StoredDeadline]) -> dict[tuple[str, int | None], int]:
    """How many rows of each provider and owner: what the filters may offer, and the count of the unfiltered list."""
    found = qs.order_by().values_list("source", "owner_user_id").annotate(n=Count("*"))
    return {(source, owner): n for source, owner, n in found}


def _title_order() -> Any:
    """The title in code-point order, as Python compares strings (the list's order): the "C" collation of PostgreSQL,
    SQLite's BINARY."""
    return Collate("title", "C" if connection.vendor == "postgresql" else "BINARY")


def first(qs: QuerySet[StoredDeadline], n: int) -> list[Deadline]:
    """The first ``n`` rows in the list's order. Shown in another language, the list orders the titles of that
    language, which the database does not know: then also those due the same day as the last."""
    qs = qs.select_related("organization", "owner_user")
    order = ["-state", "due", _title_order(), "source", "seq"]
    rows = list(qs.order_by(*order)[:n])
    if rows and len(rows) == n and translation.get_language() != settings.LANGUAGE_CODE:
        last = rows[-1]
        rows += list(qs.filter(state=last.state, due=last.due).exclude(pk__in=[r.pk for r in rows]).order_by(*order))
    return [deadline_of(row) for row in rows]


def deadline_of(row: StoredDeadline) -> Deadline:
    """The row as the provider built it, its texts in the active language."""
    texts = (row.extra.get("texts") or {}).get(translation.get_language() or "", {})
    return Deadline(
        title=texts.get("title", row.title),
        due=row.due,
        rule=texts.get("rule", row.rule),
        source=row.source,
        url=row.url,
        organization=str(row.organization),
        extra=row.extra.get("extra") or {},
        key=row.key,
        kind=texts.get("kind", row.kind),
        owner=Owner.of(row.owner_user),
        organization_id=row.organization_id,
        rid_id=row.rid_id,
        rid_number=row.rid_number,
        state=State(row.state),
        escalate=row.escalate,
    )


def stored_deadlines(user: Any, today: date, scope: Scope | str) -> Iterator[Deadline]:
    """Every stored deadline ``user`` sees in ``scope`` (the feed, «Мои задачи и сроки», the reminders)."""
    qs = rows_visible(user, today, scope).select_related("organization", "owner_user").order_by(*ORDER)
    # (sorted again by the caller: the order here only keeps the reading stable)
    for row in qs.iterator(chunk_size=2000):
        yield deadline_of(row)
