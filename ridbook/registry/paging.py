"""Pages of the registry list: the list's query as the page runs it, and a paginator that counts only so far.

Counting every RID that matches costs a scan of all of them — at a million RIDs a common filter or search word
matches a hundred thousand and the count alone takes longer than the page. So:
- the count stops after ``COUNT_CAP`` rows (or after the requested page, if that is further): the page then says
  «найдено более 10 000 РИД», and the pager offers «вперёд» as long as there are more rows;
- a search or a surname's beginning (PostgreSQL: ``ESTIMATED_FILTERS``) first asks the planner how many rows its
  statistics expect, over the organizations the user sees whole. From ``ESTIMATE_FROM`` rows on, nothing is counted
  (a common word's GIN bitmap, or ten thousand RIDs found one by one through their authors, alone take longer than
  the page) and the page says «найдено около 230 000 РИД» and that this is the database's estimate, not a count.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import QuerySet

from ridbook.core.inputs import page_number
from ridbook.registry.filters import RidFilter
from ridbook.registry.models import Authorship, Person, Rid
from ridbook.registry.selectors import organizations_seen_whole, rids_visible_with

PAGE_SIZE = 50
COUNT_CAP = 10_000
ESTIMATE_FROM = 10_000
# what a row of the list shows (and the novelty risk reads); the rest of a RID (abstract, lemmas, …) is not read
LIST_FIELDS = (
    "number",
    "kind",
    "title",
    "organization",
    "status",
    "needs_review",
    "review_reasons",
    "created_at",
    "published",
    "publication_date",
    "trade_secret",
)

EXACT, CAPPED, ESTIMATED = "exact", "capped", "estimated"
# the filters whose matches are counted only when the planner expects fewer than ESTIMATE_FROM: a search (a common
# word's GIN bitmap), a surname's beginning (each match a RID found by its id through the authorships: a capped count
# of 10,000 such RIDs took 0.4–0.7 s at a million, while their first page takes milliseconds)
ESTIMATED_FILTERS = ("q", "author")


def grouped(number: int) -> str:
    """10000 → «10 000» (a narrow no-break space between thousands, as Russian text writes them)."""
    return f"{number:,}".replace(",", "\u202f")


def rounded(number: int) -> int:
    """An estimate to two significant digits: 228 094 → 230 000."""
    if number < 100:
        return number
    scale = 10 ** (int(math.log10(number)) - 1)
    return int(round(number / scale) * scale)


class CappedPage(Page):
    paginator: CappedPaginator

    def has_next(self) -> bool:
        mode = self.paginator.mode
        if mode == ESTIMATED:  # no count: a full page may have a next one
            return len(self.object_list) == self.paginator.per_page
        return self.number < self.paginator.num_pages or mode == CAPPED

    def next_page_number(self) -> int:
        return super().next_page_number() if self.paginator.mode == EXACT else self.number + 1


class CappedPaginator(Paginator):
    """A paginator whose count is exact up to ``cap`` rows (or up to the end of page ``page``) and a lower bound
    beyond (``mode`` CAPPED: ``count`` is that bound, ``num_pages`` the pages known to be full); or, when
    ``estimate`` (a callable returning the planner's row estimate, or None) says ``ESTIMATE_FROM`` rows or more, not
    counted at all (``mode`` ESTIMATED: ``count`` is the estimate, rounded)."""

    def __init__(
        self,
        object_list: QuerySet[Any],
        per_page: int,
        *,
        page: Any = 1,
        cap: int | None = None,
        estimate: Callable[[], int | None] | None = None,
    ) -> None:
        super().__init__(object_list, per_page)
        self.queryset = object_list
        cap = COUNT_CAP if cap is None else cap
        self.wanted = page_number(page) or 1  # a number that is not a page is the first page
        self.bound = max(cap, self.wanted * per_page)
        self.estimate = estimate

    @cached_property
    def _estimated(self) -> int | None:
        guess = self.estimate() if self.estimate is not None else None
        return guess if guess is not None and guess >= ESTIMATE_FROM else None

    @cached_property
    def _counted(self) -> int:
        # ordering does not change a count: without it the database may stop at any bound + 1 rows it finds first
        # (PostgreSQL would compile such a count (JIT) first, 10–15 ms for a query that then reads an index for
        # 3 ms: the app's sessions have JIT off, see settings)
        return int(self.queryset.order_by()[: self.bound + 1].count())

    @cached_property
    def mode(self) -> str:
        if self._estimated is not None:
            return ESTIMATED
        return EXACT if self._counted <= self.bound else CAPPED

    @property
    def exact(self) -> bool:
        return self.mode == EXACT

    @cached_property
    def count(self) -> int:
        if self.mode == ESTIMATED:
            return rounded(self._estimated or 0)
        return min(self._counted, self.bound)

    @property
    def count_text(self) -> str:
        """The count (exact), the bound (the page says «более …») or the estimate (it says «около …»)."""
        return grouped(self.count)

    @cached_property
    def num_pages(self) -> int:
        if self.mode == EXACT:
            return super().num_pages
        if self.mode == CAPPED:
            return self.bound // self.per_page
        return max(self.wanted, math.ceil(self.count / self.per_page))

    def _get_page(self, *args: Any, **kwargs: Any) -> CappedPage:
        return CappedPage(*args, **kwargs)


def planner_rows(queryset: QuerySet[Any]) -> int | None:
    """PostgreSQL's estimate of how many rows ``queryset`` returns (``EXPLAIN``: planning only, no rows read)."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    sql, params = queryset.order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


def list_queryset(user: Any, wide: set[int] | None) -> QuerySet[Rid]:
    """The RIDs the list may show, with what a row of it needs: the division joined, nothing else of a RID (its
    abstract, its search lemmas). The authors come with ``attach_authors``."""
    return rids_visible_with(user, wide).select_related("organization").only(*LIST_FIELDS)


def short_name(last: str, first: str, middle: str) -> str:
    """As ``Person.short_name``: «Иванов П.С.»."""
    initials = "".join(f"{p[0]}." for p in (first, middle) if p)
    return f"{last} {initials}".strip()


def attach_authors(rids: list[Rid]) -> None:
    """``rid.author_names``: the short names of each RID's authors in their order — one query of four columns for
    the page, written out (a prefetch would build an authorship and a person object per author; the ORM would
    compile the same join anew for every page)."""
    names: dict[int, list[str]] = defaultdict(list)
    if ids := [rid.pk for rid in rids]:
        connection = connections[rids[0]._state.db or "default"]
        quote = connection.ops.quote_name
        sql = (
            f"SELECT a.rid_id, p.last_name, p.first_name, p.middle_name FROM {quote(Authorship._meta.db_table)} a "
            f"JOIN {quote(Person._meta.db_table)} p ON p.id = a.person_id WHERE a.rid_id IN ({', '.join(['%s'] * len(ids))}) "
            f"ORDER BY a.rid_id, a.{quote('order')}, a.id"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, ids)
            for rid_id, last, first, middle in cursor.fetchall():
                names[rid_id].append(short_name(last, first, middle))
    for rid in rids:
        rid.author_names = names.get(rid.pk, [])  # type: ignore[attr-defined]


@dataclass(frozen=True)
class ListPage:
    filter: RidFilter
    page: CappedPage


def list_paginator(user: Any, params: Any) -> tuple[RidFilter, CappedPaginator]:
    """The user's filters over what they may see, and the paginator of the result (nothing read yet)."""
    wide = organizations_seen_whole(user)
    rid_filter = RidFilter(params or None, queryset=list_queryset(user, wide), user=user)
    number = params.get("page") if params else None
    estimate = None
    if params and any(str(params.get(name, "")).strip() for name in ESTIMATED_FILTERS) and wide != set():

        def estimate() -> int | None:
            # over the organizations seen whole: the planner knows those (the user's own RIDs elsewhere are a few);
            # an author, who sees only their own RIDs, is always counted
            base = Rid.objects.all() if wide is None else Rid.objects.filter(organization_id__in=wide)
            return planner_rows(rid_filter.filter_queryset(base))  # the user's filters (checked by .qs already)

    return rid_filter, CappedPaginator(rid_filter.qs, PAGE_SIZE, page=number or 1, estimate=estimate)


def list_page(user: Any, params: Any) -> ListPage:
    """The registry list as the page shows it: the user's filters over what they may see, one page of it."""
    rid_filter, paginator = list_paginator(user, params)
    page = paginator.get_page(params.get("page") if params else None)
    assert isinstance(page, CappedPage)
    page.object_list = list(page.object_list)
    attach_authors(page.object_list)
    return ListPage(rid_filter, page)
