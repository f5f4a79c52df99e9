"""Filters of the registry list and of the author picker (django-filter). Reads only; the queryset comes from a
selector (``rids_visible_to``), so a filter can narrow what the user may see, never widen it."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from datetime import date
from functools import partial
from typing import Any

import django_filters
from django import forms
from django.db.models import Expression, F, Max, Min, OrderBy, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from ridbook.accounts.permissions import Action, restrict
from ridbook.core.inputs import IdFilter
from ridbook.organizations.models import Organization
from ridbook.organizations.selectors import descendant_ids
from ridbook.registry.choices import FundingKind, RidKind, RidStatus
from ridbook.registry.models import STATUS_ORDER, Authorship, Person, Rid
from ridbook.registry.search import search_filter
from ridbook.registry.selectors import NoveltyRisk, novelty_risk

FLAG_CHOICES = [
    ("published", _("опубликован")),
    ("trade_secret", _("коммерческая тайна")),
    ("novelty_risk", _("риск утраты новизны")),
    ("needs_review", _("требует проверки (импорт)")),
]


SORT_COLUMNS = {"number": _("номер"), "title": _("наименование"), "date": _("дата"), "status": _("статус")}
SORT_CHOICES = [(f"{sign}{key}", label) for key, label in SORT_COLUMNS.items() for sign in ("", "-")]


def surname_q(field: str, text: str) -> Q:
    """Surname prefix, case-insensitive also on SQLite (whose LIKE folds only ASCII): «иван» finds «Иванов»."""
    text = text.strip()
    capitalized = text[:1].upper() + text[1:].lower()
    return Q(**{f"{field}__istartswith": text}) | Q(**{f"{field}__startswith": capitalized})


def at_risk(rids: Iterable[Rid], today: date) -> dict[int, NoveltyRisk]:
    """``novelty_risk`` of many RIDs; RIDs of one organization share its instance, so its policy is looked up once
    (the walk up the organization tree is cached on the shared instance)."""
    shared: dict[int, Organization] = {}
    risks = {}
    for rid in rids:
        if not rid.published:
            continue
        rid.organization = shared.setdefault(rid.organization_id, rid.organization)
        if (risk := novelty_risk(rid, today)) is not None:
            risks[rid.pk] = risk
    return risks


def year_choices(queryset: QuerySet[Rid]) -> list[tuple[str, str]]:
    """From this year back to the earliest RID's year: two index look-ups, not a scan of the registry."""
    bounds = Rid.objects.aggregate(first=Min("created_at"), last=Max("created_at"))
    if bounds["first"] is None:
        return []
    return [(str(y), str(y)) for y in range(bounds["last"].year, bounds["first"].year - 1, -1)]


class FilterCopies(dict[str, django_filters.Filter]):
    """A FilterSet's ``base_filters``, which django-filter deep-copies for every FilterSet — for every list request
    the widgets, choices and labels of ten filters, 1.5 ms. What a filter changes per FilterSet is its ``extra``
    (the form field's arguments, which ``__init__`` and ``field`` set), its ``parent``, its ``model`` and the proxy of
    its ``method`` (which finds the method on the parent); so each filter is copied with its own ``extra`` and its
    own proxy, and the rest, read-only, is shared (a form field deep-copies its widget itself)."""

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, django_filters.Filter]:
        copies = {}
        for name, base in self.items():
            own = copy.copy(base)
            own.extra = dict(base.extra)
            if base.method is not None:
                own.method = base.method  # a new FilterMethod, bound to the copy
            copies[name] = own
        return copies


class RidFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Поиск"),
        method="filter_search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("слова, номер, фамилия автора")}),
    )
    kind = django_filters.ChoiceFilter(label=_("Вид"), choices=RidKind.choices, empty_label=_("все виды"))
    status = django_filters.ChoiceFilter(label=_("Статус"), choices=RidStatus.choices, empty_label=_("все статусы"))
    organization = django_filters.ModelChoiceFilter(
        label=_("Подразделение"),
        queryset=Organization.objects.none(),
        method="filter_organization",
        empty_label=_("все подразделения"),
    )
    year = django_filters.ChoiceFilter(
        label=_("Год"), field_name="created_at", lookup_expr="year", empty_label=_("все годы")
    )
    author = django_filters.CharFilter(
        label=_("Автор"), method="filter_author", widget=forms.TextInput(attrs={"placeholder": _("фамилия")})
    )
    person = IdFilter(
        field_name="authorships__person", label=_("Автор (человек)"), widget=forms.HiddenInput, distinct=True
    )
    funding_kind = django_filters.ChoiceFilter(
        label=_("Финансирование"), choices=FundingKind.choices, empty_label=_("любое")
    )
    flags = django_filters.MultipleChoiceFilter(
        label=_("Признаки"), choices=FLAG_CHOICES, method="filter_flags", widget=forms.CheckboxSelectMultiple
    )
    sort = django_filters.ChoiceFilter(
        label=_("Сортировка"), choices=SORT_CHOICES, method="filter_sort", widget=forms.HiddenInput
    )

    class Meta:
        model = Rid
        fields: list[str] = []

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        orgs = restrict(Organization.objects.all(), user, Action.RID_VIEW, organization_field="self")
        self.filters["organization"].queryset = orgs.order_by("short_name")
        # a callable: the years are read when the form is drawn or a year is checked, not for every list query
        self.filters["year"].extra["choices"] = partial(year_choices, self.queryset)

    def filter_sort(self, queryset: QuerySet[Rid], name: str, value: str) -> QuerySet[Rid]:
        key = value.lstrip("-")
        fields: dict[str, Expression | F] = {
            "number": F("number"),
            "title": F("title"),
            "date": F("created_at"),
            "status": STATUS_ORDER,
        }
        descending = value.startswith("-")
        # ties broken by the id in the same direction: an index of (column, id) serves both directions
        return queryset.order_by(OrderBy(fields[key], descending=descending), OrderBy(F("id"), descending=descending))

    def filter_search(self, queryset: QuerySet[Rid], name: str, value: str) -> QuerySet[Rid]:
        return search_filter(queryset, value)

    def filter_organization(self, queryset: QuerySet[Rid], name: str, value: Organization) -> QuerySet[Rid]:
        return queryset.filter(organization_id__in=descendant_ids({value.pk}))

    def filter_author(self, queryset: QuerySet[Rid], name: str, value: str) -> QuerySet[Rid]:
        if not value.strip():
            return queryset
        # the people first (their surnames' beginnings are indexed: migration 0012), then their authorships (indexed
        # by person), then those RIDs: never a join of every RID with its authors. IN, not a correlated EXISTS:
        # SQLite would probe each RID's authorships once per person found
        people = Person.objects.filter(surname_q("last_name", value)).values("pk")
        return queryset.filter(pk__in=Authorship.objects.filter(person__in=people).values("rid_id"))

    def filter_flags(self, queryset: QuerySet[Rid], name: str, value: list[str]) -> QuerySet[Rid]:
        if "published" in value:
            queryset = queryset.filter(published=True)
        if "trade_secret" in value:
            queryset = queryset.filter(trade_secret=True)
        if "needs_review" in value:
            queryset = queryset.filter(needs_review=True)
        if "novelty_risk" in value:
            # the same rule as the warning on the RID page (``novelty_risk``), which warns of every published RID —
            # of a grace period running or over, of none for its kind, or of a publication without a date — so in
            # the database it is the flag (a test holds the two together); not a walk of every published RID in Python
            queryset = queryset.filter(published=True)
        return queryset


RidFilter.base_filters = FilterCopies(RidFilter.base_filters)


class PersonFilter(django_filters.FilterSet):
    """The author picker: people by surname (prefix), optionally full name words."""

    q = django_filters.CharFilter(label=_("Фамилия"), method="filter_name")

    class Meta:
        model = Person
        fields: list[str] = []

    def filter_name(self, queryset: QuerySet[Person], name: str, value: str) -> QuerySet[Person]:
        words = value.split()
        if not words:
            return queryset.none()
        queryset = queryset.filter(surname_q("last_name", words[0]))
        for word in words[1:]:
            queryset = queryset.filter(surname_q("first_name", word) | surname_q("middle_name", word))
        return queryset
