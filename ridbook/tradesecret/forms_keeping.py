"""Forms of the trade-secret pages: they parse input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ridbook.tradesecret.choices import InventoryResult, StorageMedium

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class CopyForm(forms.Form):
    issued_to: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Кому (из списка допуска)"), queryset=None, required=False
    )
    issued_to_name = forms.CharField(label=_("или лицу не из списка (ФИО, должность)"), max_length=300, required=False)
    use_order: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Распоряжение руководителя"), queryset=None, required=False
    )
    contract: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Договор о передаче"), queryset=None, required=False
    )
    medium = forms.ChoiceField(label=_("Носитель"), choices=StorageMedium.choices)
    purpose = forms.CharField(label=_("Цель"), max_length=300)
    made_on = forms.DateField(label=_("Дата изготовления"), widget=DATE, required=False)

    def __init__(self, *args: Any, users: Any, orders: Any, contracts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["issued_to"].queryset = users  # type: ignore[attr-defined]
        self.fields["use_order"].queryset = orders  # type: ignore[attr-defined]
        self.fields["contract"].queryset = contracts  # type: ignore[attr-defined]


class CopyCloseForm(forms.Form):
    copy = forms.IntegerField(widget=forms.HiddenInput)
    on = forms.DateField(label=_("Дата"), widget=DATE, required=False)
    note = forms.CharField(label=_("Акт (способ) уничтожения"), max_length=300, required=False)


class OrderForm(forms.Form):
    number = forms.CharField(label=_("Номер распоряжения"), max_length=50)
    signed_on = forms.DateField(label=_("Дата"), widget=DATE)
    signed_by: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Подписал"), queryset=None)
    use = forms.CharField(label=_("Вид использования"), max_length=500)
    until = forms.DateField(label=_("Действует до"), widget=DATE, required=False)

    def __init__(self, *args: Any, heads: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["signed_by"].queryset = heads  # type: ignore[attr-defined]


class ContractForm(forms.Form):
    use_order: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Распоряжение руководителя"), queryset=None)
    counterparty_name = forms.CharField(label=_("Получающая сторона"), max_length=500)
    counterparty_inn = forms.CharField(label=_("ИНН"), max_length=12, required=False)
    counterparty_ogrn = forms.CharField(label=_("ОГРН"), max_length=15, required=False)
    number = forms.CharField(label=_("Номер договора"), max_length=100)
    signed_on = forms.DateField(label=_("Дата договора"), widget=DATE)
    registration_number = forms.CharField(label=_("Регистрационный номер договора"), max_length=100)
    confidentiality = forms.CharField(
        label=_("Обязательство получающей стороны о конфиденциальности"), widget=forms.Textarea, required=False
    )
    scope = forms.CharField(label=_("Объём и условия передачи"), widget=forms.Textarea)

    def __init__(self, *args: Any, orders: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["use_order"].queryset = orders  # type: ignore[attr-defined]


class DiscloseForm(forms.Form):
    on = forms.DateField(label=_("Дата раскрытия"), widget=DATE)
    details = forms.CharField(label=_("Как и кому стали известны сведения"), widget=forms.Textarea)


class InventoryOpenForm(forms.Form):
    organization: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Организация"), queryset=None)
    year = forms.IntegerField(label=_("Год"), min_value=2000, max_value=2200)

    def __init__(self, *args: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]


class EntryForm(forms.Form):
    entry = forms.IntegerField(widget=forms.HiddenInput)
    creation_place = forms.CharField(label=_("Место создания"), max_length=300, required=False)
    storage_place = forms.CharField(label=_("Место хранения"), max_length=300, required=False)
    use_place = forms.CharField(label=_("Место использования"), max_length=300, required=False)
    result = forms.ChoiceField(
        label=_("Результат"), choices=[(c.value, c.label) for c in InventoryResult if c != InventoryResult.PENDING]
    )
    note = forms.CharField(label=_("Примечание"), max_length=500, required=False)


class CloseForm(forms.Form):
    act_number = forms.CharField(label=_("Номер акта"), max_length=50)
    on = forms.DateField(label=_("Дата акта"), widget=DATE, required=False)
