"""Filters of the change log (django-filter), shared by the page, the API and the export. The queryset comes from
``selectors.change_records_visible_to``, and every choice offered is one the reader may see (people:
``users_visible_to``; organizations: ``organizations_visible_to``), so a filter narrows the log, never widens it."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import django_filters
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ridbook.audit.models import ChangeAction, ChangeRecord
from ridbook.audit.presentation import model_choices
from ridbook.core.inputs import DayFilter


def start_of(day: date) -> datetime:
    """The first moment of the day in the organization's time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


class ChangeRecordFilter(django_filters.FilterSet):
    model = django_filters.ChoiceFilter(
        label=_("Вид записи"), choices=model_choices, method="filter_model", empty_label=_("все виды")
    )
    object_id = django_filters.CharFilter(
        label=_("id записи"), max_length=64, widget=forms.TextInput(attrs={"size": 8, "inputmode": "numeric"})
    )
    actor = django_filters.ModelChoiceFilter(
        label=_("Кто"), queryset=ChangeRecord.objects.none(), empty_label=_("все сотрудники")
    )
    organization = django_filters.ModelChoiceFilter(
        label=_("Организация"),
        queryset=ChangeRecord.objects.none(),
        method="filter_organization",
        empty_label=_("все организации"),
    )
    since = DayFilter(label=_("С"), method="filter_since", widget=forms.DateInput(attrs={"type": "date"}))
    until = DayFilter(label=_("По"), method="filter_until", widget=forms.DateInput(attrs={"type": "date"}))
    action = django_filters.ChoiceFilter(label=_("Действие"), choices=ChangeAction.choices, empty_label=_("любое"))

    class Meta:
        model = ChangeRecord
        fields: list[str] = []

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        from ridbook.accounts.permissions import users_visible_to
        from ridbook.organizations.selectors import organizations_visible_to

        super().__init__(*args, **kwargs)
        self.filters["actor"].queryset = users_visible_to(user).order_by("last_name", "first_name", "id")
        self.filters["organization"].queryset = organizations_visible_to(user).order_by("short_name")

    def filter_model(self, queryset: QuerySet[ChangeRecord], name: str, value: str) -> QuerySet[ChangeRecord]:
        app_label, _dot, model = value.partition(".")
        content_type = ContentType.objects.get_by_natural_key(app_label, model)  # cached after the first
        return queryset.filter(content_type=content_type)

    def filter_organization(self, queryset: QuerySet[ChangeRecord], name: str, value: Any) -> QuerySet[ChangeRecord]:
        from ridbook.organizations.selectors import descendant_ids

        return queryset.filter(organization_id__in=descendant_ids({value.pk}))

    def filter_since(self, queryset: QuerySet[ChangeRecord], name: str, value: date) -> QuerySet[ChangeRecord]:
        return queryset.filter(at__gte=start_of(value))

    def filter_until(self, queryset: QuerySet[ChangeRecord], name: str, value: date) -> QuerySet[ChangeRecord]:
        return queryset.filter(at__lt=start_of(value + timedelta(days=1)))
