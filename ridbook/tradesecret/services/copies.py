"""Copies of a trade-secret RID (UZ app. 3 §9): made only as needed, numbered, counted against the limit the decision
set (``Regime.copy_limit``), issued, returned, destroyed; every step journaled.

**What the limit counts.** The limit is on copies **in existence**: issued and returned copies count, a destroyed
one does not. UZ app. 3 §9 lets the IP department make «a limited number of copies» so that the secret exists in few
places; a destroyed copy is no longer a place the secret can leak from, while a returned one still is (it lies in
the IP department's keeping until destroyed). Counting every copy ever made would force a new decision each time a
worn copy is replaced by a fresh one, without protecting anything more. Numbers are never reused: copy № 3 made after
№ 2 was destroyed is still № 3, so the journal's «копия № 2» always means one copy.

Only while the regime restricts, only the IP department (``TRADE_SECRET_KEEP``). A copy goes to a user on the access
list (for reading) or to anyone else only on a recorded basis: an order of the head (UZ app. 3 §15) or a transfer
contract (§16).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from ridbook.accounts.permissions import is_colleague
from ridbook.core.errors import DomainError, invalid
from ridbook.tradesecret import access, journal
from ridbook.tradesecret.choices import EXISTING_COPY_STATES, CopyState, StorageMedium
from ridbook.tradesecret.marking import copy_label
from ridbook.tradesecret.models import Copy, JournalAction, Regime, TransferContract, UseOrder
from ridbook.tradesecret.services.common import past_or_today, require_keep, require_restricting
from ridbook.tradesecret.services.use import require_order_in_force


def existing_copies(regime: Regime) -> int:
    return regime.copies.filter(state__in=EXISTING_COPY_STATES).count()


def _limit_error(regime: Regime, existing: int) -> DomainError:
    return DomainError(
        _(
            "Копия не изготовлена: предел копий по решению — %(limit)s, в наличии уже %(existing)s. "
            "Уничтожьте ненужную копию или получите решение об увеличении предела."
        )
        % {"limit": regime.copy_limit, "existing": existing},
        code="copy_limit",
        details={"limit": regime.copy_limit, "existing": existing},
    )


def copy_make(
    *,
    actor: Any,
    regime: Regime,
    medium: str,
    purpose: str,
    issued_to: Any = None,
    issued_to_name: str = "",
    basis: str = "",
    use_order: UseOrder | None = None,
    contract: TransferContract | None = None,
    made_on: date | None = None,
    channel: str = "page",
    request: Any = None,
) -> Copy:
    """A numbered copy; refused beyond the limit (the refusal is journaled too)."""
    require_keep(actor, regime)
    made_on = past_or_today(made_on, _("Дата изготовления"))
    try:
        with transaction.atomic():
            locked = Regime.objects.select_for_update().select_related("organization").get(pk=regime.pk)
            require_restricting(locked)
            _check_issue(locked, medium, purpose, issued_to, issued_to_name, use_order, contract, made_on)
            existing = existing_copies(locked)
            if existing >= locked.copy_limit:
                raise _limit_error(locked, existing)
            number = (locked.copies.aggregate(n=Max("number"))["n"] or 0) + 1
            if not basis:
                basis = str(contract or use_order or _("список допуска"))
            copy = Copy.objects.create(
                regime=locked,
                number=number,
                made_on=made_on,
                made_by=actor,
                issued_to=issued_to,
                issued_to_name="" if issued_to is not None else issued_to_name.strip(),
                basis=basis[:300],
                use_order=use_order,
                contract=contract,
                medium=medium,
                purpose=purpose.strip(),
            )
            journal.record(
                locked,
                user=actor,
                action=JournalAction.COPY,
                granted=True,
                what=f"{copy_label(number)}: {copy.holder_label}",
                channel=channel,
                copy_number=number,
                request=request,
                reason=copy.purpose,
            )
    except DomainError as exc:
        if exc.code == "copy_limit":  # the refusal stays in the journal (outside the rolled-back transaction)
            journal.record(
                regime,
                user=actor,
                action=JournalAction.COPY,
                granted=False,
                channel=channel,
                request=request,
                reason=exc.message,
            )
        raise
    return copy


def _check_issue(
    regime: Regime,
    medium: str,
    purpose: str,
    issued_to: Any,
    issued_to_name: str,
    use_order: UseOrder | None,
    contract: TransferContract | None,
    made_on: date,
) -> None:
    errors: dict[str, str] = {}
    if medium not in StorageMedium.values:
        errors["medium"] = _("Выберите носитель копии.")
    if not purpose.strip():
        errors["purpose"] = _("Укажите, для чего изготавливается копия.")
    if issued_to is None and not issued_to_name.strip():
        errors["issued_to"] = _("Укажите, кому выдаётся копия: пользователя из списка допуска или лицо с основанием.")
    if issued_to is not None and not is_colleague(issued_to, regime.organization):
        raise DomainError(_("Пользователь не найден среди работников этой организации."), code="not_found", status=404)
    if use_order is not None and use_order.regime_id != regime.pk:
        errors["use_order"] = _("Распоряжение относится к другому РИД.")
    if contract is not None and contract.regime_id != regime.pk:
        errors["contract"] = _("Договор относится к другому РИД.")
    if errors:
        raise invalid(errors, _("Копия не изготовлена"))
    listed = issued_to is not None and access.is_listed(issued_to, regime)
    if not listed and use_order is None and contract is None:
        raise invalid(
            {
                "use_order": _(
                    "Копия лицу не из списка допуска выдаётся только по распоряжению руководителя или по договору "
                    "о передаче (Положение, п. 15–16)."
                )
            },
            _("Копия не изготовлена"),
        )
    if use_order is not None:
        require_order_in_force(use_order, made_on)
    if contract is not None:
        require_order_in_force(contract.use_order, made_on)


def copy_return(*, actor: Any, copy: Copy, on: date | None = None, channel: str = "page", request: Any = None) -> Copy:
    """The copy is back in the IP department's keeping (it still exists: it still counts against the limit)."""
    require_keep(actor, copy.regime)
    on = past_or_today(on, _("Дата возврата"))
    with transaction.atomic():
        locked = Copy.objects.select_for_update().select_related("regime").get(pk=copy.pk)
        if locked.state != CopyState.ISSUED:
            raise DomainError(
                _("Вернуть можно только выданную копию; копия № %(n)s — «%(state)s».")
                % {"n": locked.number, "state": locked.get_state_display()},
                code="copy_state",
            )
        if on < locked.made_on:
            raise invalid({"on": _("Копия не может быть возвращена раньше, чем изготовлена.")}, _("Возврат не записан"))
        locked.state = CopyState.RETURNED
        locked.returned_on = on
        locked.returned_recorded_by = actor
        locked.save(update_fields=["state", "returned_on", "returned_recorded_by"])
        journal.record(
            locked.regime,
            user=actor,
            action=JournalAction.COPY_RETURN,
            granted=True,
            what=f"{copy_label(locked.number)}: {locked.holder_label}",
            channel=channel,
            copy_number=locked.number,
            request=request,
        )
    return locked


def copy_destroy(
    *, actor: Any, copy: Copy, on: date | None = None, note: str = "", channel: str = "page", request: Any = None
) -> Copy:
    """The copy is destroyed (its place under the limit is free again; its number is never reused)."""
    require_keep(actor, copy.regime)
    on = past_or_today(on, _("Дата уничтожения"))
    with transaction.atomic():
        locked = Copy.objects.select_for_update().select_related("regime").get(pk=copy.pk)
        if locked.state == CopyState.DESTROYED:
            raise DomainError(_("Копия № %(n)s уже уничтожена.") % {"n": locked.number}, code="copy_state")
        if on < (locked.returned_on or locked.made_on):
            raise invalid(
                {"on": _("Копия не может быть уничтожена раньше, чем изготовлена или возвращена.")},
                _("Уничтожение не записано"),
            )
        locked.state = CopyState.DESTROYED
        locked.destroyed_on = on
        locked.destroyed_recorded_by = actor
        locked.destruction_note = note.strip()[:300]
        locked.save(update_fields=["state", "destroyed_on", "destroyed_recorded_by", "destruction_note"])
        journal.record(
            locked.regime,
            user=actor,
            action=JournalAction.COPY_DESTROY,
            granted=True,
            what=copy_label(locked.number),
            channel=channel,
            copy_number=locked.number,
            request=request,
            reason=locked.destruction_note,
        )
    return locked
