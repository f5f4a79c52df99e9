from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ridbook.organizations.models import Organization
from ridbook.organizations.services import EDITABLE_FIELDS
from ridbook.policies.loader import available_policies


class OrganizationForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = list(EDITABLE_FIELDS)

    def __init__(self, *args: Any, parents: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = parents  # type: ignore[attr-defined]  # only where the user manages
        names = sorted({p.name for p in available_policies()})
        self.fields["policy_name"] = forms.ChoiceField(
            label=_("Политика"),
            required=False,
            choices=[("", _("— как у вышестоящей организации —"))] + [(n, n) for n in names],
        )


class WorkingDaysForm(forms.Form):
    date = forms.DateField(
        label=gettext_lazy("Дата"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "invalid": gettext_lazy("Введите дату в формате ДД.ММ.ГГГГ."),
            "required": gettext_lazy("Укажите дату."),
        },
    )
    days = forms.IntegerField(
        label=gettext_lazy("Рабочих дней (минус — назад)"),
        min_value=-1000,
        max_value=1000,
        initial=7,
        error_messages={"required": gettext_lazy("Укажите число рабочих дней.")},
    )
    country = forms.ChoiceField(
        label=gettext_lazy("Страна"), choices=[("RU", gettext_lazy("Россия")), ("UZ", gettext_lazy("Узбекистан"))]
    )
