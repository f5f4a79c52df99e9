"""Forms of the regime's pages (the services check everything again)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ridbook.accounts.models import User
from ridbook.tradesecret.choices import CouncilOutcome, StorageMedium


def _user_label(user: Any) -> str:
    return str(user.full_name or user.get_username())


DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class PresentForm(forms.Form):
    presented_on = forms.DateField(label=_("Дата представления"), widget=DATE, initial=timezone.localdate)
    commercial_value = forms.CharField(
        label=_("Действительная или потенциальная коммерческая ценность"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class CouncilForm(forms.Form):
    council_outcome = forms.ChoiceField(label=_("Решение совета"), choices=CouncilOutcome.choices)
    council_protocol_number = forms.CharField(label=_("Номер протокола совета"), max_length=50)
    council_decided_on = forms.DateField(label=_("Дата решения совета"), widget=DATE, initial=timezone.localdate)


class ApproveForm(forms.Form):
    approved = forms.TypedChoiceField(
        label=_("Решение"),
        choices=[("1", _("утвердить режим и список допуска")), ("0", _("не утверждать"))],
        coerce=lambda v: v == "1",
    )
    approved_on = forms.DateField(label=_("Дата утверждения"), widget=DATE, initial=timezone.localdate)
    order_number = forms.CharField(label=_("Номер приказа (распоряжения)"), max_length=50, required=False)
    access_list = forms.ModelMultipleChoiceField(
        label=_("Список допуска"), queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    storage_place = forms.CharField(label=_("Место хранения"), max_length=300, required=False)
    storage_medium = forms.ChoiceField(label=_("Носитель"), choices=[("", "—"), *StorageMedium.choices], required=False)
    copy_limit = forms.IntegerField(label=_("Предельное число копий"), min_value=1, initial=1)
    holder_name = forms.CharField(label=_("Обладатель информации"), max_length=500, required=False)
    holder_address = forms.CharField(label=_("Адрес обладателя"), max_length=500, required=False)

    def __init__(self, *args: Any, users: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["access_list"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = users
        field.label_from_instance = _user_label  # type: ignore[method-assign,assignment]


class GrantForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Пользователь"), queryset=User.objects.none())
    on = forms.DateField(label=_("С какого дня"), widget=DATE, initial=timezone.localdate)
    reason = forms.CharField(label=_("Основание"), max_length=300, required=False)

    def __init__(self, *args: Any, users: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = users
        field.label_from_instance = _user_label  # type: ignore[method-assign,assignment]


class ContentForm(forms.Form):
    purpose = forms.CharField(
        label=_("2. Назначение (задача)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    keywords = forms.CharField(label=_("4. Ключевые слова (через запятую)"), required=False)
    abstract = forms.CharField(label=_("5. Реферат"), widget=forms.Textarea(attrs={"rows": 6}), required=False)
    uses = forms.CharField(
        label=_("6. Возможные области использования"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    publication_sources = forms.CharField(
        label=_("Источники публикации"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
