"""The single register of trade-secret RIDs (UZ app. 3 §10): name, authors, time of creation, storage place and
medium, the size of the access list (open grants), the state. These fields are not the content: the register is
read by those who keep or approve trade secrets in their organizations, never through the access gate."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from ridbook.core.xlsx import SheetWriter
from ridbook.registry.models import Authorship
from ridbook.tradesecret.marking import MARK, marked_header
from ridbook.tradesecret.models import Regime
from ridbook.tradesecret.services.common import regimes_visible_to

COLUMNS = [
    "Учётный номер",  # i18n: ru-only (the columns of the Russian register)
    "Наименование",  # i18n: ru-only (as above)
    "Авторы",  # i18n: ru-only (as above)
    "Время создания",  # i18n: ru-only (as above)
    "Организация",  # i18n: ru-only (as above)
    "Место хранения",  # i18n: ru-only (as above)
    "Носитель",  # i18n: ru-only (as above)
    "Допущено лиц",  # i18n: ru-only (as above)
    "Копий в наличии",  # i18n: ru-only (as above)
    "Состояние",  # i18n: ru-only (as above)
    "Режим прекращён",  # i18n: ru-only (as above)
]
TITLE = "Реестр РИД, охраняемых в режиме коммерческой тайны"  # i18n: ru-only (the Russian register's title)


@dataclass(frozen=True)
class Row:
    regime: Regime
    number: str
    name: str
    authors: str
    created_on: date | None
    organization: str
    storage_place: str
    medium: str
    access_count: int
    copies: int
    state: str
    ended_on: date | None

    def cells(self) -> list[Any]:
        return [
            self.number,
            self.name,
            self.authors,
            self.created_on,
            self.organization,
            self.storage_place,
            self.medium,
            self.access_count,
            self.copies,
            self.state,
            self.ended_on,
        ]


def register_queryset(user: Any, organization_id: int | None = None) -> QuerySet[Regime]:
    qs = regimes_visible_to(user).select_related("rid", "organization")
    if organization_id is not None:
        qs = qs.filter(organization_id=organization_id)
    authorships = Authorship.objects.select_related("person").order_by("id")
    return (
        qs.annotate(
            access_count=Count("grants", filter=Q(grants__removed_on__isnull=True), distinct=True),
            copies_count=Count("copies", filter=Q(copies__state__in=["issued", "returned"]), distinct=True),
        )
        .prefetch_related(Prefetch("rid__authorships", queryset=authorships))
        .order_by("rid__number")
    )


def creation_time(regime: Regime) -> date | None:
    """The time of creation: as recorded for the register, else the day the notice was submitted (or entered)."""
    if regime.created_on:
        return regime.created_on
    moment = regime.rid.submitted_at or regime.rid.created_at
    return moment.date() if moment else None


def register_name(regime: Regime) -> str:
    return regime.register_name or regime.rid.title


def row_of(regime: Regime) -> Row:
    authors = ", ".join(a.person.short_name for a in regime.rid.authorships.all()) if regime.rid_id else ""
    return Row(
        regime=regime,
        number=regime.rid.number,
        name=register_name(regime),
        authors=authors,
        created_on=creation_time(regime),
        organization=str(regime.organization),
        storage_place=regime.storage_place,
        medium=regime.get_storage_medium_display() if regime.storage_medium else "",
        access_count=getattr(regime, "access_count", 0),
        copies=getattr(regime, "copies_count", 0),
        state=str(regime.get_state_display()),
        ended_on=regime.ended_on,
    )


def register_rows(user: Any, organization_id: int | None = None) -> Iterator[Row]:
    for regime in register_queryset(user, organization_id):
        yield row_of(regime)


def register_xlsx(user: Any, organization_id: int | None = None) -> bytes:
    """The register as XLSX: the marking (the register belongs to the regime's papers) and the title first."""
    out = io.BytesIO()
    sheet_name = "Реестр"  # i18n: ru-only (the sheet of the Russian register)
    widths = [16, 50, 40, 14, 30, 30, 20, 10, 10, 24, 14]
    with SheetWriter(out, sheet_name, marked_header(f"{MARK}. {TITLE}", len(COLUMNS)), widths) as sheet:
        sheet.rows([COLUMNS, *(row.cells() for row in register_rows(user, organization_id))])
    return out.getvalue()
