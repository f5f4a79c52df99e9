from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ridbook.protection.choices import DocumentKind, EventKind, FeeBasis, HolderKind
from ridbook.registry.choices import RidKind

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Вид документа"), choices=DocumentKind.choices)
    number = forms.CharField(label=_("Номер"), max_length=50)
    application_number = forms.CharField(label=_("Номер заявки"), max_length=50, required=False)
    filing_date = forms.DateField(label=_("Дата подачи заявки"), widget=DATE)
    priority_date = forms.DateField(label=_("Дата приоритета"), widget=DATE, required=False)
    granted_on = forms.DateField(label=_("Дата выдачи или регистрации"), widget=DATE, required=False)
    published_on = forms.DateField(label=_("Дата публикации"), widget=DATE, required=False)
    country = forms.CharField(label=_("Страна"), max_length=2, initial="RU")
    office = forms.CharField(label=_("Ведомство"), max_length=100, initial="Роспатент")  # i18n: ru-only (stored)
    original_location = forms.CharField(label=_("Где хранится подлинник"), max_length=300, required=False)
    scan = forms.FileField(label=_("Скан документа"), required=False)


class PaymentForm(forms.Form):
    due = forms.IntegerField(widget=forms.HiddenInput)
    paid_on = forms.DateField(label=_("Дата платежа"), widget=DATE)
    amount = forms.DecimalField(label=_("Сумма, руб."), max_digits=12, decimal_places=2)
    order_number = forms.CharField(label=_("№ платёжного поручения"), max_length=50)


class EventForm(forms.Form):
    kind = forms.ChoiceField(label=_("Событие"), choices=EventKind.choices)
    on = forms.DateField(label=_("Дата"), widget=DATE)
    years = forms.IntegerField(label=_("Лет (продление изобретения)"), min_value=0, initial=0, required=False)
    note = forms.CharField(label=_("Примечание"), max_length=500, required=False)


class FeeRateForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Вид РИД"),
        choices=[(k, v) for k, v in RidKind.choices if k in ("invention", "utility_model", "industrial_design")],
    )
    basis = forms.ChoiceField(label=_("Основа"), choices=FeeBasis.choices)
    first = forms.IntegerField(label=_("С года (периода)"), min_value=1)
    last = forms.IntegerField(label=_("По год (период)"), min_value=1)
    amount = forms.DecimalField(label=_("Размер, руб."), max_digits=12, decimal_places=2, min_value=0)
    valid_from = forms.DateField(label=_("Действует с"), widget=DATE)
    valid_until = forms.DateField(label=_("Действует по"), widget=DATE, required=False)
    source = forms.CharField(label=_("Источник"), max_length=500)
    verified = forms.BooleanField(label=_("Проверено по официальному тексту"), required=False)


class UpkeepForm(forms.Form):
    year = forms.IntegerField(label=_("Год"), min_value=1990, max_value=2200)
    keep = forms.TypedChoiceField(
        label=_("Решение"),
        choices=[("1", _("поддерживать")), ("0", _("не поддерживать"))],
        coerce=lambda v: v == "1",
    )
    on = forms.DateField(label=_("Дата решения"), widget=DATE)
    label = forms.CharField(label=_("Протокол или заседание"), max_length=200, required=False)


class HolderForm(forms.Form):
    """One holder of the document; an empty row is ignored."""

    kind = forms.ChoiceField(label=_("Кто"), choices=HolderKind.choices, required=False)
    name = forms.CharField(label=_("Наименование или имя"), max_length=500, required=False)
    inn = forms.CharField(label=_("ИНН"), max_length=12, required=False)
    ogrn = forms.CharField(label=_("ОГРН"), max_length=15, required=False)
    share = forms.DecimalField(label=_("Доля, %"), max_digits=5, decimal_places=2, required=False)


HolderFormSet = forms.formset_factory(HolderForm, extra=2, max_num=20, validate_max=True)
