"""Deadlines of protection documents for «Мои задачи и сроки»: fees due (to the IP department) and the yearly
keep-in-force decision (to the commission's secretary). A document decided «не поддерживать» has no fees due: it is
not reminded."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.db.models import Case, DateField, Exists, F, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ridbook.accounts.permissions import Action, organization_ids_for
from ridbook.deadlines.registry import Deadline, Row, Stored
from ridbook.protection.choices import ALIVE, PATENTS, DocumentKind, FeeState
from ridbook.protection.models import FeeDueRecord, ProtectionDocument, UpkeepDecision

HORIZON_DAYS = 90  # fees shown this far ahead


def _scoped(qs: Any, user: Any, action: Action, path: str) -> Any:
    ids = organization_ids_for(user, action)
    if ids is None:
        return qs
    if not ids:
        return qs.none()
    return qs.filter(**{f"{path}__in": ids})


def _fee_records(today: date) -> Any:
    """The fees due within the horizon or in their grace period, ``due`` annotated: the grace period's end for a fee
    in it, else the fee's own date."""
    fees = FeeDueRecord.objects.filter(
        state=FeeState.DUE,
        document__status__in=ALIVE,
        due_on__lte=today + timedelta(days=HORIZON_DAYS),
        grace_until__gte=today,  # after it the document lapses (the daily job): restoration, not a reminder
    ).select_related("document__organization", "document__rid")
    fees = fees.exclude(document__fees_tracked_from__gt=F("due_on"))
    return fees.annotate(
        due=Case(When(due_on__lt=today, then=F("grace_until")), default=F("due_on"), output_field=DateField())
    )


def _fees(user: Any, today: date) -> Any:
    return _scoped(_fee_records(today), user, Action.FILING_MANAGE, "document__organization_id")


def _fee_deadline(fee: FeeDueRecord, today: date) -> Deadline:
    document = fee.document
    in_grace = fee.due_on < today
    return Deadline(
        title=_("Пошлина за %(number)s-й год (период): %(document)s") % {"number": fee.number, "document": document},
        due=fee.grace_until if in_grace else fee.due_on,
        rule=(
            _("льготный срок с доплатой (ГК РФ ст. 1399)")
            if in_grace
            else _("пошлина за поддержание в силе — до начала года действия")
        ),
        source="protection.fees",
        url=reverse("protection:detail", kwargs={"pk": document.pk}),
        organization=str(document.organization),
        key=f"protection.fees:fee:{fee.pk}",
        kind=str(_("пошлина за поддержание в силе")),
        organization_id=document.organization_id,
        rid_id=document.rid_id,
        rid_number=document.rid.number,
    )


def fee_deadlines(user: Any, today: date) -> Iterable[Deadline]:
    for fee in _fees(user, today).order_by("due", "pk").iterator(chunk_size=1000):
        yield _fee_deadline(fee, today)


def _stored_fees(today: date, documents: list[int] | None) -> Any:
    fees = _fee_records(today)
    fees = fees if documents is None else fees.filter(document_id__in=documents)
    return fees.order_by("pk").iterator(chunk_size=1000)


STORED_FEES = Stored(
    label=gettext_lazy("пошлина за поддержание в силе"),
    objects=_stored_fees,
    build=lambda fee, today: [Row(fee.document_id, fee.pk, _fee_deadline(fee, today))],
    actions=(Action.FILING_MANAGE,),
)


def _upkeep(user: Any, today: date) -> Any:
    return _scoped(_upkeep_documents(today), user, Action.MEETING_MANAGE, "organization_id")


def _upkeep_documents(today: date) -> Any:
    documents = upkeep_queue(None, today.year)
    # the year's first fee due, a subquery per document (an aggregate over every document's fees would be read whole
    # before the page could be ordered)
    first_due = FeeDueRecord.objects.filter(
        document=OuterRef("pk"), state=FeeState.DUE, due_on__year=today.year
    ).order_by("due_on")
    documents = documents.annotate(next_due=Subquery(first_due.values("due_on")[:1])).annotate(
        due=Coalesce(F("next_due"), Value(date(today.year, 12, 31)))
    )
    return documents.select_related("organization", "rid")


def _upkeep_deadline(document: ProtectionDocument, today: date) -> Deadline:
    return Deadline(
        title=_("Решение о поддержании в %(year)s году: %(document)s") % {"year": today.year, "document": document},
        due=getattr(document, "next_due", None) or date(today.year, 12, 31),
        rule=_("ежегодное решение комиссии о поддержании охранного документа в силе"),
        source="protection.upkeep",
        url=reverse("protection:detail", kwargs={"pk": document.pk}),
        organization=str(document.organization),
        key=f"protection.upkeep:document:{document.pk}:{today.year}",
        kind=str(_("решение о поддержании в силе")),
        organization_id=document.organization_id,
        rid_id=document.rid_id,
        rid_number=document.rid.number,
    )


def upkeep_deadlines(user: Any, today: date) -> Iterable[Deadline]:
    """Every document in force without this year's decision of the commission: the secretary puts it on an agenda
    before the year's fee is due."""
    for document in _upkeep(user, today).order_by("pk").iterator(chunk_size=1000):
        yield _upkeep_deadline(document, today)


def _stored_upkeep(today: date, documents: list[int] | None) -> Any:
    qs = _upkeep_documents(today)
    qs = qs if documents is None else qs.filter(pk__in=documents)
    return qs.order_by("pk").iterator(chunk_size=1000)


STORED_UPKEEP = Stored(
    label=gettext_lazy("решение о поддержании в силе"),
    objects=_stored_upkeep,
    build=lambda document, today: [Row(document.pk, document.pk, _upkeep_deadline(document, today))],
    actions=(Action.MEETING_MANAGE,),
)


RENEWAL_WINDOW_DAYS = 365  # the request to renew a design's term is filed within its last year


def _renewal_documents(today: date, documents: list[int] | None = None) -> Iterable[tuple[ProtectionDocument, Any]]:
    """Designs in force whose term ends within a year and may still be renewed, each with its ``Expiry``."""
    from ridbook.organizations.selectors import organization_policy
    from ridbook.protection.services import document_expiry

    qs = ProtectionDocument.objects.filter(
        kind=DocumentKind.INDUSTRIAL_DESIGN, status__in=ALIVE, filing_date__isnull=False
    ).select_related("organization", "rid")
    qs = qs if documents is None else qs.filter(pk__in=documents)
    policies: dict[int, Any] = {}
    for document in qs.order_by("pk").iterator(chunk_size=1000):
        if document.organization_id not in policies:
            policies[document.organization_id] = organization_policy(document.organization)
        expiry = document_expiry(document, policies[document.organization_id])
        ends, latest = expiry.expires_on, expiry.latest_possible
        if ends is None or latest is None or latest <= ends:
            continue  # not determinable, or the last renewal is made
        if today <= ends <= today + timedelta(days=RENEWAL_WINDOW_DAYS):
            yield document, expiry


def _renewal_deadline(document: ProtectionDocument, expiry: Any) -> Deadline:
    return Deadline(
        title=_("Продлить срок действия на 5 лет: %(document)s") % {"document": document},
        due=expiry.expires_on,
        rule=_(
            "ходатайство о продлении и пошлина — в последний год срока действия (ГК РФ ст. 1363 п. 4; не сверено с "
            "официальным текстом); без продления патент прекращает действие %(day)s"
        )
        % {"day": expiry.expires_on.strftime("%d.%m.%Y")},
        source="protection.renewal",
        url=reverse("protection:detail", kwargs={"pk": document.pk}),
        organization=str(document.organization),
        key=f"protection.renewal:document:{document.pk}:{document.renewals + 1}",
        kind=str(_("продление срока действия (промышленный образец)")),
        organization_id=document.organization_id,
        rid_id=document.rid_id,
        rid_number=document.rid.number,
    )


def renewal_deadlines(user: Any, today: date) -> Iterable[Deadline]:
    """The IP department's: every design whose term ends within a year and may be renewed (art. 1363 p. 4)."""
    visible = organization_ids_for(user, Action.FILING_MANAGE)
    for document, expiry in _renewal_documents(today):
        if visible is None or document.organization_id in visible:
            yield _renewal_deadline(document, expiry)


STORED_RENEWAL = Stored(
    label=gettext_lazy("продление срока действия (промышленный образец)"),
    objects=lambda today, documents: _renewal_documents(today, documents),
    build=lambda pair, today: [Row(pair[0].pk, pair[0].pk, _renewal_deadline(*pair))],
    actions=(Action.FILING_MANAGE,),
)


def document_deadlines_refresh(document_ids: Any) -> None:
    """The stored fee and upkeep deadlines of these documents, re-computed in the caller's transaction: every write to
    a document, its fees or its decisions ends with it (:mod:`ridbook.protection.services`)."""
    from ridbook.deadlines.store import refresh_objects

    ids = list(document_ids)
    refresh_objects("protection.fees", ids)
    refresh_objects("protection.upkeep", ids)
    refresh_objects("protection.renewal", ids)


def document_deadlines_invalidate() -> None:
    """After a bulk write of documents (an import): the stored fee and upkeep deadlines are refreshed whole by their
    next reader, in the caller's transaction."""
    from ridbook.deadlines.store import invalidate

    invalidate(["protection.fees", "protection.upkeep", "protection.renewal"])


def upkeep_queue(organization_ids: set[int] | None, year: int) -> Any:
    """Patents in force without the year's decision (the secretary's queue); certificates have no fees to keep."""
    decided = UpkeepDecision.objects.filter(document=OuterRef("pk"), year=year)
    qs = ProtectionDocument.objects.filter(status__in=ALIVE, kind__in=PATENTS).exclude(Exists(decided))
    return qs if organization_ids is None else qs.filter(organization_id__in=organization_ids)
