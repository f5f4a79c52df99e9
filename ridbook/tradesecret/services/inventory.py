"""The yearly inventory (UZ app. 3 §10–13): opened per legal entity and year with an entry per regime in force in
its organizations (prefilled: the place of creation is the RID's organization, the storage place the regime's, the
use places the orders' uses), checked entry by entry (found / missing, with a note), and closed with an act (DOCX,
marked) listing what changed since the last closed act: regimes added and ended, storage moved, the access list's
changes, copies made and destroyed. The act is due to the ministry by 15 December of the year (``deadlines.py``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ridbook.accounts.permissions import Action, entity_of, entity_scope, require
from ridbook.core.errors import DomainError, invalid
from ridbook.tradesecret.choices import RESTRICTED_STATES, InventoryResult
from ridbook.tradesecret.models import AccessGrant, Copy, Inventory, InventoryEntry, Regime
from ridbook.tradesecret.services.common import past_or_today

DUE_MONTH, DUE_DAY = 12, 15  # UZ app. 3 §13: to the ministry not later than 15 December


def act_due(year: int) -> date:
    return date(year, DUE_MONTH, DUE_DAY)


def regimes_of_entity(organization: Any) -> Any:
    """The regimes an inventory of ``organization``'s legal entity accounts for: those that restrict now."""
    return Regime.objects.filter(organization_id__in=entity_scope(organization), state__in=RESTRICTED_STATES)


def _prefill(regime: Regime) -> dict[str, str]:
    uses = "; ".join(o.use for o in regime.use_orders.all())
    return {
        "creation_place": str(regime.rid.organization)[:300],
        "storage_place": regime.storage_place[:300],
        "use_place": uses[:300],
    }


def inventory_open(*, actor: Any, organization: Any, year: int, on: date | None = None) -> Inventory:
    entity = entity_of(organization)
    require(actor, Action.TRADE_SECRET_KEEP, entity)
    on = past_or_today(on, _("Дата начала учёта"))
    if year < 2000 or year > on.year:
        raise invalid({"year": _("Учёт проводится за прошедший или текущий год.")}, _("Учёт не начат"))
    try:
        with transaction.atomic():
            inventory = Inventory.objects.create(organization=entity, year=year, started_on=on, started_by=actor)
            regimes = regimes_of_entity(entity).select_related("rid__organization").prefetch_related("use_orders")
            for regime in regimes:
                InventoryEntry.objects.create(inventory=inventory, regime=regime, **_prefill(regime))
    except IntegrityError as exc:
        raise DomainError(
            _("Учёт за %(year)s год в «%(organization)s» уже начат.") % {"year": year, "organization": entity},
            code="exists",
        ) from exc
    return inventory


def entry_record(
    *,
    actor: Any,
    entry: InventoryEntry,
    result: str,
    creation_place: str,
    storage_place: str,
    use_place: str,
    note: str = "",
    on: date | None = None,
) -> InventoryEntry:
    inventory = Inventory.objects.select_related("organization").get(pk=entry.inventory_id)
    require(actor, Action.TRADE_SECRET_KEEP, inventory.organization)
    if inventory.is_closed:
        raise DomainError(_("Учёт закрыт актом: строки не меняются."), code="closed")
    on = past_or_today(on, _("Дата проверки"))
    errors: dict[str, str] = {}
    if result not in (InventoryResult.FOUND, InventoryResult.MISSING):
        errors["result"] = _("Укажите, найден ли РИД.")
    if not storage_place.strip():
        errors["storage_place"] = _("Укажите место хранения.")
    if result == InventoryResult.MISSING and not note.strip():
        errors["note"] = _("РИД не обнаружен: опишите обстоятельства в примечании.")
    if errors:
        raise invalid(errors, _("Строка учёта не сохранена"))
    entry.result = result
    entry.creation_place = creation_place.strip()[:300]
    entry.storage_place = storage_place.strip()[:300]
    entry.use_place = use_place.strip()[:300]
    entry.note = note.strip()[:500]
    entry.checked_on = on
    entry.checked_by = actor
    entry.save()
    return entry


# --- closing with the act ---------------------------------------------------------------------------------------------


def _snapshot(inventory: Inventory) -> dict[str, Any]:
    regimes = {}
    for entry in inventory.entries.select_related("regime__rid"):
        regime = entry.regime
        regimes[str(regime.pk)] = {
            "number": regime.rid.number,
            "name": regime.register_name or regime.rid.title,
            "storage_place": entry.storage_place,
            "storage_medium": regime.storage_medium,
        }
    return {"regimes": regimes}


def _changes(inventory: Inventory, snapshot: dict[str, Any], on: date) -> dict[str, Any]:
    previous = (
        Inventory.objects.filter(organization=inventory.organization, closed_on__isnull=False, year__lt=inventory.year)
        .order_by("-year")
        .first()
    )
    before: dict[str, Any] = previous.snapshot.get("regimes", {}) if previous else {}
    since = previous.closed_on if previous else None
    now = snapshot["regimes"]
    added = [now[k]["number"] for k in now if k not in before]
    moved = [
        {"number": now[k]["number"], "from": before[k]["storage_place"], "to": now[k]["storage_place"]}
        for k in now
        if k in before and before[k]["storage_place"] != now[k]["storage_place"]
    ]
    scope = entity_scope(inventory.organization)
    ended_qs = Regime.objects.filter(organization_id__in=scope, ended_on__isnull=False, ended_on__lte=on)
    if since:
        ended_qs = ended_qs.filter(ended_on__gt=since)
    ended = [
        {"number": r.rid.number, "on": r.ended_on.isoformat(), "reason": str(r.get_end_reason_display())}
        for r in ended_qs.select_related("rid").order_by("ended_on")
        if r.ended_on is not None
    ]
    grants = AccessGrant.objects.filter(regime__organization_id__in=scope).select_related("regime__rid", "user")
    copies = Copy.objects.filter(regime__organization_id__in=scope).select_related("regime__rid")

    def after(field: str, qs: Any) -> Any:
        qs = qs.filter(**{f"{field}__isnull": False, f"{field}__lte": on})
        return qs.filter(**{f"{field}__gt": since}) if since else qs

    def person(user: Any) -> str:
        return getattr(user, "full_name", "") or user.get_username()

    return {
        "previous": {"year": previous.year, "number": previous.act_number, "closed_on": since.isoformat()}
        if previous and since
        else None,
        "added": added,
        "ended": ended,
        "moved": moved,
        "access_added": [
            {"number": g.regime.rid.number, "person": person(g.user), "on": g.added_on.isoformat()}
            for g in after("added_on", grants).order_by("added_on", "id")
        ],
        "access_removed": [
            {"number": g.regime.rid.number, "person": person(g.user), "on": g.removed_on.isoformat()}
            for g in after("removed_on", grants).order_by("removed_on", "id")
            if g.removed_on is not None
        ],
        "copies_made": [
            {"number": c.regime.rid.number, "copy": c.number, "on": c.made_on.isoformat()}
            for c in after("made_on", copies).order_by("made_on", "id")
        ],
        "copies_destroyed": [
            {"number": c.regime.rid.number, "copy": c.number, "on": c.destroyed_on.isoformat()}
            for c in after("destroyed_on", copies).order_by("destroyed_on", "id")
            if c.destroyed_on is not None
        ],
    }


def inventory_close(*, actor: Any, inventory: Inventory, act_number: str, on: date | None = None) -> Inventory:
    """Close the inventory with its act: every entry checked; the act (DOCX, marked) stored as made."""
    from ridbook.tradesecret.inventory_act import act_docx

    require(actor, Action.TRADE_SECRET_KEEP, inventory.organization)
    on = past_or_today(on, _("Дата акта"))
    with transaction.atomic():
        locked = Inventory.objects.select_for_update().select_related("organization").get(pk=inventory.pk)
        if locked.is_closed:
            raise DomainError(_("Учёт уже закрыт актом."), code="closed")
        pending = [e.regime.rid.number for e in locked.entries.select_related("regime__rid") if e.result == "pending"]
        errors: dict[str, str] = {}
        if pending:
            errors["entries"] = _("Не проверены: %(numbers)s.") % {"numbers": ", ".join(pending)}
        if not act_number.strip():
            errors["act_number"] = _("Укажите номер акта.")
        if on < locked.started_on:
            errors["on"] = _("Акт не может быть составлен раньше начала учёта.")
        if errors:
            raise invalid(errors, _("Акт не составлен"))
        locked.act_number = act_number.strip()
        locked.closed_on = on
        locked.closed_by = actor
        locked.snapshot = _snapshot(locked)
        locked.changes = _changes(locked, locked.snapshot, on)
        content = act_docx(locked)
        locked.act_docx.save(f"act-{locked.organization_id}-{locked.year}.docx", ContentFile(content), save=False)
        locked.save()
    return locked
