"""Pages of the registry list: the list's query as the page runs it, and a paginator that counts only so far.

Counting every RID that matches costs a scan of all of them — at a million RIDs a common filter or search word
matches a hundred thousand and the count alone takes longer than the page. So the count stops after ``COUNT_CAP``
rows (or after the requested page, if that is further): a page says «найдено более 10 000 РИД» then, never a
guessed number, and the pager offers «вперёд» as long as there are more rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import connections, transaction
from django.db.models import Prefetch, QuerySet

from ridbook.registry.filters import RidFilter
from ridbook.registry.models import Authorship, Rid
from ridbook.registry.selectors import rids_visible_to

PAGE_SIZE = 50
COUNT_CAP = 10_000


def grouped(number: int) -> str:
    """10000 → «10 000» (a narrow no-break space between thousands, as Russian text writes them)."""
    return f"{number:,}".replace(",", "\u202f")


class CappedPage(Page):
    paginator: CappedPaginator

    def has_next(self) -> bool:
        return self.number < self.paginator.num_pages or not self.paginator.exact

    def next_page_number(self) -> int:
        return super().next_page_number() if self.paginator.exact else self.number + 1


class CappedPaginator(Paginator):
    """A paginator whose count is exact up to ``cap`` rows (or up to the end of page ``page``), and a lower bound
    beyond: ``exact`` is False then, ``count`` is that bound and ``num_pages`` the pages known to be full."""

    def __init__(self, object_list: QuerySet[Any], per_page: int, *, page: Any = 1, cap: int | None = None) -> None:
        super().__init__(object_list, per_page)
        cap = COUNT_CAP if cap is None else cap
        try:
            wanted = max(1, int(page))
        except (TypeError, ValueError):
            wanted = 1
        self.bound = max(cap, wanted * per_page)

    @cached_property
    def _counted(self) -> int:
        # ordering does not change a count: without it the database may stop at any bound + 1 rows it finds first
        query = self.object_list.order_by()[: self.bound + 1]
        connection = connections[query.db]
        if connection.vendor != "postgresql":
            return int(query.count())
        # PostgreSQL estimates a count over a big table as expensive and compiles it (JIT) first: 10–15 ms for a
        # query that then reads an index for 3 ms. Not for this one.
        with transaction.atomic(using=query.db):
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
            return int(query.count())

    @cached_property
    def exact(self) -> bool:
        return self._counted <= self.bound

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.bound)

    @property
    def count_text(self) -> str:
        """«10 000» or, past the bound, the bound itself (the page says «более 10 000»)."""
        return grouped(self.count)

    @cached_property
    def num_pages(self) -> int:
        if self.exact:
            return super().num_pages
        return self.bound // self.per_page

    def _get_page(self, *args: Any, **kwargs: Any) -> CappedPage:
        return CappedPage(*args, **kwargs)


def list_queryset(user: Any) -> QuerySet[Rid]:
    """The RIDs the list may show, with what a row of it needs: the division joined, the authors of the page's
    rows in one query (with their people), and not the search columns (long, and never shown)."""
    authors = Prefetch("authorships", queryset=Authorship.objects.select_related("person").order_by("order", "id"))
    return (
        rids_visible_to(user)
        .select_related("organization")
        .prefetch_related(authors)
        .defer("search_lemmas", "search_vector", "abstract", "purpose", "uses", "publication_sources")
    )


@dataclass(frozen=True)
class ListPage:
    filter: RidFilter
    page: CappedPage


def list_page(user: Any, params: Any) -> ListPage:
    """The registry list as the page shows it: the user's filters over what they may see, one page of it."""
    rid_filter = RidFilter(params or None, queryset=list_queryset(user), user=user)
    number = params.get("page") if params else None
    paginator = CappedPaginator(rid_filter.qs, PAGE_SIZE, page=number or 1)
    return ListPage(rid_filter, paginator.get_page(number))
