"""The business rules of protection documents: creation with holders, events (the only way the status changes),
the fee schedule and payments, the commission's upkeep decisions and the daily lapse job. Shared by the pages, the
API and the commands; each checks permission through ``accounts.permissions`` and runs in a transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import F, Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.ru import inn as stdnum_inn
from stdnum.ru import ogrn as stdnum_ogrn

from ridbook.accounts.permissions import Action, require
from ridbook.audit.context import acting_as
from ridbook.core.errors import DomainError
from ridbook.core.uploads import check_upload, document_limits
from ridbook.organizations.selectors import organization_policy
from ridbook.protection import engines
from ridbook.protection.choices import (
    ALIVE,
    EVENT_STATUS,
    PAID_STATES,
    PATENTS,
    RID_KIND,
    DocumentKind,
    DocumentStatus,
    EventKind,
    FeeState,
    HolderKind,
)
from ridbook.protection.deadlines import document_deadlines_refresh
from ridbook.protection.models import (
    DocumentEvent,
    FeeDueRecord,
    FeePayment,
    FeeRate,
    Holder,
    ProtectionDocument,
    UpkeepDecision,
)
from ridbook.registry.choices import RidStatus
from ridbook.registry.models import Person, Rid
from ridbook.registry.selectors import rids_visible_to

HUNDRED = Decimal("100")
CENT = Decimal("0.01")


def _invalid(fields: dict[str, str]) -> DomainError:
    message = " ".join(str(m) for m in fields.values())
    return DomainError(message, code="invalid", details={"fields": fields})


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


# --- selectors -----------------------------------------------------------------------------------------------------


def documents_visible_to(user: Any) -> QuerySet[ProtectionDocument]:
    """The documents of the RIDs the user may see (``registry.selectors.rids_visible_to``)."""
    return ProtectionDocument.objects.filter(rid__in=rids_visible_to(user)).select_related("rid", "organization")


def fee_rates_visible_to(user: Any) -> QuerySet[FeeRate]:
    from ridbook.accounts.permissions import restrict

    return restrict(FeeRate.objects.all(), user, Action.FILING_MANAGE)


# --- holders -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HolderInput:
    share: Decimal
    kind: str = HolderKind.ORGANIZATION
    name: str = ""
    inn: str = ""
    ogrn: str = ""


def holder_errors(holders: Sequence[HolderInput]) -> dict[str, str]:
    """ИНН and ОГРН checked by their check digits (python-stdnum), shares in (0, 100] summing to exactly 100."""
    errors: dict[str, str] = {}
    if not holders:
        return {"holders": _("Укажите хотя бы одного правообладателя.")}
    total = Decimal(0)
    for i, h in enumerate(holders, start=1):
        try:
            share = Decimal(h.share)
        except (InvalidOperation, TypeError, ValueError):
            errors[f"holders.{i}.share"] = _("Доля правообладателя %(n)s — не число.") % {"n": i}
            continue
        if share <= 0 or share > HUNDRED:
            errors[f"holders.{i}.share"] = _("Доля правообладателя %(n)s должна быть больше 0 и не больше 100 %%.") % {
                "n": i
            }
        total += share
        if h.kind not in HolderKind.values:
            errors[f"holders.{i}.kind"] = _("Неизвестный вид правообладателя.")
        if h.kind == HolderKind.OTHER and not h.name.strip():
            errors[f"holders.{i}.name"] = _("Укажите наименование или имя правообладателя %(n)s.") % {"n": i}
        if h.inn:
            try:
                stdnum_inn.validate(h.inn)
            except StdnumError:
                errors[f"holders.{i}.inn"] = _("ИНН «%(inn)s» неверен (контрольные цифры не сходятся).") % {
                    "inn": h.inn
                }
        if h.ogrn:
            try:
                stdnum_ogrn.validate(h.ogrn)
            except StdnumError:
                errors[f"holders.{i}.ogrn"] = _("ОГРН «%(ogrn)s» неверен (контрольная цифра не сходится).") % {
                    "ogrn": h.ogrn
                }
    if not errors and total != HUNDRED:
        errors["holders"] = _("Доли правообладателей в сумме должны давать 100 %%, а дают %(total)s %%.") % {
            "total": total
        }
    return errors


def _write_holders(document: ProtectionDocument, holders: Sequence[HolderInput]) -> None:
    document.holders.all().delete()
    for h in holders:
        Holder.objects.create(
            document=document,
            kind=h.kind,
            name=h.name.strip() or (str(document.organization) if h.kind == HolderKind.ORGANIZATION else ""),
            inn=h.inn,
            ogrn=h.ogrn,
            share=Decimal(h.share),
        )


def holders_set(*, actor: Any, document: ProtectionDocument, holders: Sequence[HolderInput]) -> None:
    """Replace the holders (journaled): the organization alone, or jointly with others named with ИНН/ОГРН."""
    require(actor, Action.FILING_MANAGE, document.organization)  # the permission before the payload
    if errors := holder_errors(holders):
        raise _invalid(errors)
    with transaction.atomic(), acting_as(actor):
        document = ProtectionDocument.objects.select_for_update().get(pk=document.pk)
        require(actor, Action.FILING_MANAGE, document.organization)
        _write_holders(document, holders)


# --- documents -----------------------------------------------------------------------------------------------------

DOCUMENT_FIELDS = (
    "number",
    "application_number",
    "application_ref",
    "filing_date",
    "priority_date",
    "granted_on",
    "published_on",
    "country",
    "office",
    "original_location",
    "renewals",
    "extension_years",
)


def document_create(
    *,
    actor: Any,
    rid: Rid,
    kind: str,
    number: str,
    holders: Sequence[HolderInput] = (),
    scan: Any = None,
    **fields: Any,
) -> ProtectionDocument:
    """A patent or certificate of a RID: the RID's status follows («получен охранный документ»), its fee schedule is
    computed. Holders: the organization alone when none are given."""
    unknown = set(fields) - set(DOCUMENT_FIELDS)
    if unknown:
        raise _invalid({k: _("Неизвестное поле.") for k in sorted(unknown)})
    errors: dict[str, str] = {}
    if kind not in DocumentKind.values:
        errors["kind"] = _("Неизвестный вид охранного документа: %(kind)s.") % {"kind": kind}
    if not str(number).strip():
        errors["number"] = _("Укажите номер охранного документа.")
    holders = list(holders) or [HolderInput(share=HUNDRED)]
    errors.update(holder_errors(holders))
    if fields.get("granted_on") and fields.get("filing_date") and fields["granted_on"] < fields["filing_date"]:
        errors["granted_on"] = _("Дата выдачи не может быть раньше даты подачи заявки.")
    if errors:
        raise _invalid(errors)
    if scan is not None:
        check_upload(scan, document_limits(), "scan")
    with transaction.atomic(), acting_as(actor):
        rid = Rid.objects.select_for_update().get(pk=rid.pk)
        require(actor, Action.FILING_MANAGE, rid.organization)
        if ProtectionDocument.objects.filter(kind=kind, country=fields.get("country", "RU"), number=number).exists():
            raise _invalid({"number": _("Документ с таким номером уже есть в реестре.")})
        document = ProtectionDocument.objects.create(
            rid=rid, organization=rid.organization, kind=kind, number=str(number).strip(), **fields
        )
        if scan is not None:
            document.scan = scan
            document.save()
        _write_holders(document, holders)
        if rid.status != RidStatus.PROTECTED:
            rid.status = RidStatus.PROTECTED
            rid.save()
        _refresh_schedule(document)
        return document


def document_update(*, actor: Any, document: ProtectionDocument, scan: Any = None, **fields: Any) -> ProtectionDocument:
    """Edit the document's data (not its status: that takes an event); the unpaid fees are re-computed."""
    unknown = set(fields) - set(DOCUMENT_FIELDS)
    if unknown:
        raise _invalid({k: _("Неизвестное поле.") for k in sorted(unknown)})
    if scan is not None:
        check_upload(scan, document_limits(), "scan")
    with transaction.atomic(), acting_as(actor):
        document = ProtectionDocument.objects.select_for_update().get(pk=document.pk)
        require(actor, Action.FILING_MANAGE, document.organization)
        for name, value in fields.items():
            setattr(document, name, value)
        if scan is not None:
            document.scan = scan
        document.save()
        _refresh_schedule(document)
        return document


# --- terms ---------------------------------------------------------------------------------------------------------


def death_dates(rid: Rid) -> list[date | None]:
    return list(Person.objects.filter(authorships__rid=rid).values_list("death_date", flat=True))


def document_expiry(document: ProtectionDocument, policy: Any = None) -> Any:
    """``Expiry`` of the document by the organization's policy (``rules.terms.expiry``)."""
    policy = policy or organization_policy(document.organization)
    kind = str(RID_KIND[DocumentKind(document.kind)])
    dead = death_dates(document.rid) if kind in ("software", "database") else []
    return engines.expiry(
        kind,
        policy=policy,
        filing_date=document.filing_date,
        renewals=document.renewals,
        extension_years=document.extension_years,
        authors_death_dates=dead,
    )


# --- the fee schedule ----------------------------------------------------------------------------------------------


def extra_rows(organization: Any) -> list[Any]:
    """The rows the IP department entered (its organization or above), as ``FeeRow`` for ``rules.fees.schedule``."""
    from ridbook.organizations.selectors import ancestors

    ids = [o.pk for o in ancestors(organization)]
    return [
        engines.fee_row(
            kind=r.kind,
            basis=r.basis,
            first=r.first,
            last=r.last,
            amount=r.amount,
            valid_from=r.valid_from,
            valid_until=r.valid_until,
            source=r.source,
            verified=r.verified,
        )
        for r in FeeRate.objects.filter(organization_id__in=ids)
    ]


def _dropped_from(document: ProtectionDocument) -> int | None:
    """The first year for which the commission decided «не поддерживать» (its future fees are not needed)."""
    drop = document.upkeep.filter(keep=False).order_by("year").values_list("year", flat=True).first()
    return drop


def _refresh_schedule(document: ProtectionDocument) -> None:
    if document.filing_date is None:
        return
    policy = organization_policy(document.organization)
    term = document_expiry(document, policy)
    kind = str(RID_KIND[DocumentKind(document.kind)])
    dues = engines.schedule(
        kind,
        policy=policy,
        filing_date=document.filing_date,
        grant_date=document.granted_on,
        term_end=term.expires_on or term.latest_possible,
        extra_rows=extra_rows(document.organization),
    )
    existing = {r.number: r for r in document.fees.all()}
    dropped = _dropped_from(document)
    wanted = set()
    for due in dues:
        wanted.add(due.number)
        record = existing.get(due.number)
        if record is not None and record.state in PAID_STATES:
            continue  # a paid row is history: never recomputed
        if record is None:
            record = FeeDueRecord(document=document, number=due.number)
        record.basis = str(due.basis)
        record.period_start, record.period_end = due.period_start, due.period_end
        record.due_on, record.grace_until = due.due_on, due.grace_until
        record.amount, record.surcharge = due.amount, due.surcharge
        record.note = str(due.note)[:500]
        if dropped is not None and due.due_on.year >= dropped:
            record.state = FeeState.NOT_NEEDED
        elif record.state == FeeState.NOT_NEEDED:
            record.state = FeeState.DUE
        record.save()
    for number, record in existing.items():
        if number not in wanted and record.state not in PAID_STATES and not record.payments.exists():
            record.delete()
    document_deadlines_refresh([document.pk])


REFRESH = "пересчёт графика пошлин"  # i18n: ru-only (the change log's actor)


def refresh_schedule(document: ProtectionDocument, *, actor: Any = REFRESH) -> None:
    """Re-compute the unpaid rows of the document's schedule (amounts, dates); paid rows are never touched."""
    with transaction.atomic(), acting_as(actor):
        if not isinstance(actor, str):
            require(actor, Action.FILING_MANAGE, document.organization)
        document = ProtectionDocument.objects.select_for_update().get(pk=document.pk)
        _refresh_schedule(document)


def _surcharge_of(due: FeeDueRecord) -> Decimal:
    if due.surcharge is not None:
        return due.surcharge
    if due.amount is None:
        return Decimal(0)
    _grace, percent, _years = engines.rules_numbers(organization_policy(due.document.organization))
    return (due.amount * percent / 100).quantize(CENT)


def amount_to_pay(due: FeeDueRecord, on: date) -> tuple[Decimal | None, Decimal]:
    """(the fee, the surcharge) to pay on a date: with the surcharge inside the grace period (art. 1399 p.1)."""
    if due.amount is None:
        return None, Decimal(0)
    if on <= due.due_on:
        return due.amount, Decimal(0)
    return due.amount, _surcharge_of(due)


def payment_record(*, actor: Any, due: FeeDueRecord, paid_on: date, amount: Decimal, order_number: str) -> FeePayment:
    """A payment of a fee. Late inside the grace period it must include the surcharge; after the grace period the
    fee cannot be paid (the document lapses: restore it first)."""
    errors: dict[str, str] = {}
    try:
        amount = Decimal(amount)
    except (InvalidOperation, TypeError, ValueError):
        raise _invalid({"amount": _("Сумма платежа — не число.")}) from None
    if amount <= 0:
        errors["amount"] = _("Сумма платежа должна быть больше нуля.")
    if not str(order_number).strip():
        errors["order_number"] = _("Укажите номер платёжного поручения.")
    if paid_on > timezone.localdate():
        errors["paid_on"] = _("Дата платежа не может быть в будущем.")
    if errors:
        raise _invalid(errors)
    with transaction.atomic(), acting_as(actor):
        due = FeeDueRecord.objects.select_for_update().select_related("document__organization").get(pk=due.pk)
        document = due.document
        require(actor, Action.FILING_MANAGE, document.organization)
        if due.state in PAID_STATES:
            raise DomainError(_("Пошлина за этот год уже уплачена."), code="already_paid")
        if due.state == FeeState.NOT_NEEDED:
            raise DomainError(
                _("Комиссия решила не поддерживать документ: пошлина за этот год не требуется."), code="not_needed"
            )
        restored = document.status == DocumentStatus.RESTORED
        if paid_on > due.grace_until and not restored:
            raise DomainError(
                _(
                    "Льготный срок уплаты истёк %(date)s: документ прекращает действие; пошлину можно уплатить только "
                    "вместе с ходатайством о восстановлении."
                )
                % {"date": f"{due.grace_until:%d.%m.%Y}"},
                code="grace_over",
            )
        fee, surcharge = amount_to_pay(due, paid_on)
        if fee is not None:
            needed = fee + surcharge
            if amount < needed:
                if surcharge:
                    message = _(
                        "Платёж в льготный срок: к пошлине %(fee)s руб. нужна доплата %(surcharge)s руб. "
                        "(всего %(total)s руб.), а внесено %(amount)s руб."
                    ) % {"fee": fee, "surcharge": surcharge, "total": needed, "amount": amount}
                else:
                    message = _("Размер пошлины %(fee)s руб., а внесено %(amount)s руб.") % {
                        "fee": fee,
                        "amount": amount,
                    }
                raise _invalid({"amount": message})
        payment = FeePayment.objects.create(
            due=due,
            paid_on=paid_on,
            amount=amount,
            surcharge=surcharge,
            order_number=str(order_number).strip(),
            recorded_by=_user(actor),
        )
        due.state = FeeState.PAID_IN_GRACE if surcharge else FeeState.PAID
        due.save()
        document_deadlines_refresh([document.pk])
        return payment


# --- events: the only way the status changes -----------------------------------------------------------------------

ALLOWED_FROM = {
    EventKind.LAPSED: ALIVE,
    EventKind.RESTORED: {DocumentStatus.LAPSED},
    EventKind.SURRENDERED: ALIVE,
    EventKind.INVALIDATED: ALIVE | {DocumentStatus.LAPSED, DocumentStatus.EXPIRED, DocumentStatus.SURRENDERED},
    EventKind.RENEWED: ALIVE,
    EventKind.EXTENDED: ALIVE,
    EventKind.EXPIRED: ALIVE,
}


def _event(
    document: ProtectionDocument, kind: str, on: date, actor: Any, *, years: int = 0, note: str = ""
) -> DocumentEvent:
    kind = EventKind(kind)
    if document.status not in ALLOWED_FROM[kind]:
        raise DomainError(
            _("Событие «%(event)s» невозможно: документ в статусе «%(status)s».")
            % {"event": kind.label, "status": document.get_status_display()},
            code="invalid_transition",
        )
    restoration_until = None
    if kind == EventKind.LAPSED:
        _grace, _surcharge, restoration_years = engines.rules_numbers(organization_policy(document.organization))
        # restoration within N years after the grace period ends (rules.fees.restoration_until): the lapse is
        # recorded the day after it
        restoration_until = engines.add_years(on - timedelta(days=1), restoration_years)
    if kind == EventKind.RESTORED and document.restoration_until and on > document.restoration_until:
        raise DomainError(
            _("Срок восстановления истёк %(date)s.") % {"date": f"{document.restoration_until:%d.%m.%Y}"},
            code="restoration_over",
        )
    if kind == EventKind.RENEWED:
        if document.kind != DocumentKind.INDUSTRIAL_DESIGN:
            raise _invalid({"kind": _("Продление на 5 лет — только для промышленного образца.")})
        document.renewals += 1
    if kind == EventKind.EXTENDED:
        if document.kind != DocumentKind.INVENTION or years <= 0:
            raise _invalid({"years": _("Продление — только для изобретения, на число лет больше нуля.")})
        document.extension_years += years
    event = DocumentEvent.objects.create(
        document=document,
        kind=kind,
        on=on,
        restoration_until=restoration_until,
        years=years,
        note=note[:500],
        recorded_by=_user(actor),
    )
    if kind in EVENT_STATUS:
        document.status = EVENT_STATUS[kind]
    if kind == EventKind.LAPSED:
        document.restoration_until = restoration_until
    if kind == EventKind.RESTORED:
        document.restoration_until = None
    document.save()
    if kind == EventKind.LAPSED:
        document.fees.filter(state=FeeState.DUE, grace_until__lt=on).update(state=FeeState.UNPAID)
    if kind == EventKind.RESTORED:
        document.fees.filter(state=FeeState.UNPAID).update(state=FeeState.DUE)
    if kind in (EventKind.RENEWED, EventKind.EXTENDED):
        _refresh_schedule(document)
    else:
        document_deadlines_refresh([document.pk])
    return event


def event_record(
    *, actor: Any, document: ProtectionDocument, kind: str, on: date, years: int = 0, note: str = ""
) -> DocumentEvent:
    if kind not in EventKind.values:
        raise _invalid({"kind": _("Неизвестное событие: %(kind)s.") % {"kind": kind}})
    if on > timezone.localdate():
        raise _invalid({"on": _("Дата события не может быть в будущем.")})
    with transaction.atomic(), acting_as(actor):
        document = ProtectionDocument.objects.select_for_update().get(pk=document.pk)
        require(actor, Action.FILING_MANAGE, document.organization)
        return _event(document, kind, on, actor, years=years, note=note)


# --- the daily job -------------------------------------------------------------------------------------------------

JOB = "ежедневная задача: прекращение действия при неуплате"  # i18n: ru-only (the change log's actor)


def lapse_unpaid(today: date | None = None) -> list[int]:
    """Lapse every document in force whose fee is still unpaid after its grace period (from the day after
    ``grace_until``), with a «прекращение действия» event and the restoration window. Idempotent: a lapsed document
    is not in force any more. Returns the ids of the documents lapsed now."""
    today = today or timezone.localdate()
    overdue = (
        FeeDueRecord.objects.filter(state=FeeState.DUE, grace_until__lt=today, document__status__in=ALIVE)
        .exclude(document__fees_tracked_from__gt=F("due_on"))
        .values_list("document_id", "grace_until")
        .order_by("document_id", "grace_until")
    )
    first_missed: dict[int, date] = {}
    for document_id, grace_until in overdue:
        first_missed.setdefault(document_id, grace_until)
    lapsed = []
    for document_id, grace_until in first_missed.items():
        with transaction.atomic(), acting_as(JOB):
            document = ProtectionDocument.objects.select_for_update().get(pk=document_id)
            if document.status not in ALIVE:
                continue
            on = date.fromordinal(grace_until.toordinal() + 1)
            note = _("Пошлина не уплачена до окончания льготного срока %(date)s.") % {"date": f"{grace_until:%d.%m.%Y}"}
            _event(document, EventKind.LAPSED, on, JOB, note=note)
            lapsed.append(document_id)
    return lapsed


def expire_ended(today: date | None = None) -> list[int]:
    """Patents in force whose term ended (the last period of the stored schedule ends with the term): an «истечение
    срока действия» event the day after. Idempotent. Certificates (life + 70 years) are left to an event by hand."""
    today = today or timezone.localdate()
    ended = (
        ProtectionDocument.objects.filter(status__in=ALIVE, kind__in=PATENTS)
        .annotate(end=Max("fees__period_end"))
        .filter(end__lt=today)
        .values_list("pk", "end")
    )
    expired = []
    for document_id, end in ended:
        with transaction.atomic(), acting_as(JOB):
            document = ProtectionDocument.objects.select_for_update().get(pk=document_id)
            if document.status in ALIVE:
                _event(document, EventKind.EXPIRED, end + timedelta(days=1), JOB)
                expired.append(document_id)
    return expired


# --- the commission's yearly decision ------------------------------------------------------------------------------


def _decide(
    document: ProtectionDocument, year: int, keep: bool, on: date, label: str, item: Any = None
) -> UpkeepDecision:
    decision, _created = UpkeepDecision.objects.update_or_create(
        document=document,
        year=year,
        defaults={"keep": keep, "decided_on": on, "label": label[:200], "agenda_item_id": getattr(item, "pk", None)},
    )
    if keep:
        document.fees.filter(state=FeeState.NOT_NEEDED, due_on__year__gte=year).update(state=FeeState.DUE)
    else:
        document.fees.filter(state=FeeState.DUE, due_on__year__gte=year).update(state=FeeState.NOT_NEEDED)
    document_deadlines_refresh([document.pk])
    return decision


def upkeep_decide(
    *, actor: Any, document: ProtectionDocument, year: int, keep: bool, on: date, label: str = ""
) -> UpkeepDecision:
    """The commission's yearly keep-in-force decision recorded by its secretary (outside an agenda item)."""
    with transaction.atomic(), acting_as(actor):
        document = ProtectionDocument.objects.select_for_update().get(pk=document.pk)
        require(actor, Action.MEETING_MANAGE, document.organization)
        return _decide(document, year, keep, on, label)


def upkeep_from_agenda_item(item: Any, actor: Any) -> None:
    """An adopted maintenance item (``commission.services.apply_decision``): the decision for the meeting's year, for
    every document in force of the item's RID."""
    from ridbook.commission.choices import Outcome

    keep = item.outcome == Outcome.KEEP_IN_FORCE
    label = _("протокол %(meeting)s, вопрос %(order)s") % {"meeting": item.meeting.label, "order": item.order}
    for document in ProtectionDocument.objects.select_for_update().filter(rid_id=item.rid_id, status__in=ALIVE):
        _decide(document, item.meeting.date.year, keep, item.meeting.date, label, item)


# --- the fee table -------------------------------------------------------------------------------------------------


def fee_rate_add(
    *,
    actor: Any,
    organization: Any,
    kind: str,
    basis: str,
    first: int,
    last: int,
    amount: Decimal,
    valid_from: date,
    source: str,
    valid_until: date | None = None,
    verified: bool = False,
) -> FeeRate:
    """A dated row of the fee table with its source, entered when the office changes its table; the unpaid fees of
    the organization's documents are re-computed."""
    from ridbook.protection.choices import FeeBasis
    from ridbook.registry.choices import RidKind

    errors: dict[str, str] = {}
    if kind not in RidKind.values:
        errors["kind"] = _("Неизвестный вид РИД.")
    if basis not in FeeBasis.values:
        errors["basis"] = _("Неизвестная основа: год или пятилетний период.")
    if first < 1 or last < first:
        errors["last"] = _("Годы: «с» не меньше 1 и не больше «по».")
    try:
        amount = Decimal(amount)
        if amount < 0:
            errors["amount"] = _("Размер пошлины не может быть отрицательным.")
    except (InvalidOperation, TypeError, ValueError):
        errors["amount"] = _("Размер пошлины — не число.")
    if not str(source).strip():
        errors["source"] = _("Укажите источник (документ, пункт, дату).")
    if valid_until is not None and valid_until < valid_from:
        errors["valid_until"] = _("«Действует по» раньше, чем «действует с».")
    if errors:
        raise _invalid(errors)
    with transaction.atomic(), acting_as(actor):
        require(actor, Action.FILING_MANAGE, organization)
        rate = FeeRate.objects.create(
            organization=organization,
            kind=kind,
            basis=basis,
            first=first,
            last=last,
            amount=amount,
            valid_from=valid_from,
            valid_until=valid_until,
            source=str(source).strip(),
            verified=verified,
        )
        from ridbook.organizations.selectors import descendant_ids

        for document in ProtectionDocument.objects.filter(
            organization_id__in=descendant_ids({organization.pk}), status__in=ALIVE, kind=kind
        ):
            _refresh_schedule(document)
        return rate
