"""Forms of the registry pages. They only parse input (types, choices); the rules and their Russian messages are the
services' (``DomainError.details["fields"]``), put next to the fields by :func:`ridbook.core.forms.apply_domain_error`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ridbook.core.forms import MultipleFileField
from ridbook.organizations.models import Organization
from ridbook.registry.choices import (
    CONTROL_LISTS,
    ExportControlConclusion,
    ExportControlOutcome,
    PacketDocumentKind,
    StateSecretOutcome,
)
from ridbook.registry.models import Person, Rid
from ridbook.registry.services import REQUIRED_TO_SUBMIT

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
DATE_ERRORS = {"invalid": _("Введите дату в формате ДД.ММ.ГГГГ.")}
NUMBER_ERRORS = {"invalid": _("Введите целое число."), "min_value": _("Число не может быть отрицательным.")}

# Fieldsets in the order and with the numbers of the notice form (TPU appendix 2).
NOTICE_FIELDSETS: list[tuple[StrOrPromise, list[str]]] = [
    (
        _("1. Наименование и вид РИД"),
        ["kind", "other_subtype", "title", "origin", "employer_resources_used", "initiative_agreement", "organization"],
    ),
    (_("2. Назначение (задача)"), ["purpose"]),
    (
        _("3. Источник финансирования"),
        [
            "funding_kind",
            "funding_other",
            "funding_agreement_number",
            "funding_agreement_date",
            "internal_project_number",
            "rnd_title",
            "rnd_leader",
            "rnd_registration_number",
        ],
    ),
    (
        _("3.4. Сведения о заказчике НИОКР"),
        ["customer_full_name", "customer_short_name", "customer_founder", "customer_ogrn", "customer_okopf"],
    ),
    (_("3.5. Предполагаемое закрепление прав"), ["rights_allocation"]),
    (_("4. Ключевые слова"), ["keywords"]),
    (_("5. Реферат"), ["abstract"]),
    (
        _("6–13. Использование и классификаторы"),
        [
            "uses",
            "prototypes_count",
            "useful_life_years",
            "core_facility_used",
            "core_facility_name",
            "okpd2",
            "grnti_codes",
            "oecd_code",
            "ipc_codes",
        ],
    ),
    (
        _("16–17. Коммерческая тайна и публикация"),
        ["trade_secret", "published", "publication_date", "publication_sources"],
    ),
]

NOTICE_LABELS = {
    "kind": _("Вид РИД"),
    "other_subtype": _("Вид иного РИД"),
    "title": _("Наименование"),
    "origin": _("Служебный или инициативный"),
    "employer_resources_used": _("Использованы средства, оборудование или материалы работодателя"),
    "initiative_agreement": _("Договор с работодателем (инициативный РИД)"),
    "organization": _("Подразделение"),
    "purpose": _("Назначение (решаемая задача)"),
    "funding_kind": _("Вид финансирования"),
    "funding_other": _("Иной источник (какой)"),
    "funding_agreement_number": _("Номер договора (соглашения)"),
    "funding_agreement_date": _("Дата договора (соглашения)"),
    "internal_project_number": _("Внутренний номер проекта"),
    "rnd_title": _("3.1. Наименование НИОКР"),
    "rnd_leader": _("3.2. Руководитель НИОКР"),
    "rnd_registration_number": _("3.3. Регистрационный номер НИОКР"),
    "customer_full_name": _("Полное наименование заказчика"),
    "customer_short_name": _("Сокращённое наименование"),
    "customer_founder": _("Учредитель (ведомственная принадлежность)"),
    "customer_ogrn": _("ОГРН"),
    "customer_okopf": _("ОКОПФ"),
    "rights_allocation": _("Права по договору (соглашению)"),
    "keywords": _("Ключевые слова"),
    "abstract": _("Реферат"),
    "uses": _("6. Возможные направления (способы) использования"),
    "prototypes_count": _("7. Количество опытных образцов с РИД"),
    "useful_life_years": _("8. Примерный срок полезного использования, лет"),
    "core_facility_used": _("9. Создан с использованием оборудования ЦКП"),
    "core_facility_name": _("Наименование ЦКП"),
    "okpd2": _("10. Код ОКПД2"),
    "grnti_codes": _("11. Коды ГРНТИ"),
    "oecd_code": _("12. Код классификатора ОЭСР"),
    "ipc_codes": _("13. Коды МПК"),
    "trade_secret": _("16. Содержит коммерческую тайну организации"),
    "published": _("17. Сведения о РИД публиковались"),
    "publication_date": _("Дата первой публикации"),
    "publication_sources": _("Источники публикации"),
}

NOTICE_HELP = {
    "customer_full_name": _("Если заказчик — Минобрнауки России, укажите только «Минобрнауки России»."),
    "keywords": _("От 1 до 5 слов или словосочетаний через запятую."),
    "abstract": _("Не более 900 знаков; для программ и баз данных — назначение, область применения, функции."),
    "okpd2": _("Одна подкатегория вида XX.XX.XX.XXX, например 62.01.11.000."),
    "grnti_codes": _("Через запятую, например 20.53.19."),
    "ipc_codes": _("Только для изобретений; через запятую, например G06F 17/30."),
    "customer_okopf": _("5 цифр."),
}


def _split(value: str) -> list[str]:
    return [p.strip() for p in value.replace(";", ",").split(",") if p.strip()]


class NoticeForm(forms.ModelForm):
    """Уведомление о создании РИД: every field of TPU appendix 2 except the clearances (14–15) and the authors (18)."""

    keywords = forms.CharField(required=False)
    grnti_codes = forms.CharField(required=False)
    ipc_codes = forms.CharField(required=False)

    class Meta:
        model = Rid
        fields = [name for _legend, names in NOTICE_FIELDSETS for name in names]
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "abstract": forms.Textarea(attrs={"rows": 7, "data-max": "900"}),
            "uses": forms.Textarea(attrs={"rows": 3}),
            "publication_sources": forms.Textarea(attrs={"rows": 2}),
            "funding_agreement_date": DATE,
            "publication_date": DATE,
        }
        error_messages = {
            "kind": {"required": _("Выберите вид РИД.")},
            "title": {"required": _("Укажите наименование РИД.")},
            "organization": {"required": _("Выберите подразделение.")},
            "funding_agreement_date": DATE_ERRORS,
            "publication_date": DATE_ERRORS,
            "prototypes_count": NUMBER_ERRORS,
            "useful_life_years": NUMBER_ERRORS,
        }

    def __init__(self, *args: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.label = NOTICE_LABELS[name]
            field.help_text = NOTICE_HELP.get(name, "")
            # «*» to save the draft; «°» to submit the notice (services.REQUIRED_TO_SUBMIT: TPU appendix 2)
            field.mark = "*" if field.required else ("°" if name in REQUIRED_TO_SUBMIT else "")  # type: ignore[attr-defined]
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]
        self.fields["organization"].empty_label = _("— выберите подразделение —")  # type: ignore[attr-defined]
        if self.instance.pk and not self.is_bound:
            for name in ("keywords", "grnti_codes", "ipc_codes"):
                self.initial[name] = ", ".join(map(str, getattr(self.instance, name)))

    def clean_abstract(self) -> str:
        return str(self.cleaned_data["abstract"]).replace("\r\n", "\n")

    def clean_keywords(self) -> list[str]:
        return _split(self.cleaned_data["keywords"])

    def clean_grnti_codes(self) -> list[str]:
        return _split(self.cleaned_data["grnti_codes"])

    def clean_ipc_codes(self) -> list[str]:
        return _split(self.cleaned_data["ipc_codes"])

    def fieldsets(self) -> list[tuple[StrOrPromise, list[forms.BoundField]]]:
        return [(legend, [self[name] for name in names]) for legend, names in NOTICE_FIELDSETS]


class PersonForm(forms.Form):
    """A new person in the author picker. Required fields and ИНН/СНИЛС are checked by ``person_save``."""

    last_name = forms.CharField(label=_("Фамилия"), required=False, max_length=100)
    first_name = forms.CharField(label=_("Имя"), required=False, max_length=100)
    middle_name = forms.CharField(label=_("Отчество"), required=False, max_length=100)
    birth_date = forms.DateField(label=_("Дата рождения"), required=False, widget=DATE, error_messages=DATE_ERRORS)
    organization: forms.ModelChoiceField[Organization] = forms.ModelChoiceField(
        label=_("Подразделение"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=_("— вне организации —"),
    )
    position = forms.CharField(label=_("Должность"), required=False, max_length=200)
    workplace = forms.CharField(label=_("Место работы (если вне организации)"), required=False, max_length=300)
    email = forms.EmailField(
        label="E-mail", required=False, error_messages={"invalid": _("Введите правильный e-mail.")}
    )
    snils = forms.CharField(label=_("СНИЛС"), required=False, max_length=14)
    inn = forms.CharField(label=_("ИНН"), required=False, max_length=12)

    def __init__(self, *args: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]


class ContributorForm(forms.Form):
    person = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Выберите человека поиском по фамилии."),
            "invalid_choice": _("Выберите человека поиском по фамилии."),
        },
    )
    assistance = forms.CharField(label=_("Характер содействия"), required=False, max_length=300)

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people  # type: ignore[attr-defined]


class ReceiveForm(forms.Form):
    received_on = forms.DateField(label=_("Дата поступления"), required=False, widget=DATE, error_messages=DATE_ERRORS)


class ReturnForm(forms.Form):
    reasons = forms.CharField(
        label=_("Причины возврата"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": _("что не так и что исправить")}),
    )


def packet_field(kind: str) -> str:
    """The name of a kind's file input in the packet form: ``file_<kind>``."""
    return f"file_{kind}"


class PacketUploadForm(forms.Form):
    """Several packet files in one submit: each kind's row has its own ``<input type=file multiple>``
    (``file_<kind>``); the older shape, one ``kind`` with its ``file`` (now one or several), is taken too.
    ``cleaned_data["uploads"]``: [(kind, file), …] in the order of the rows. Empty files are the service's to
    refuse (by name, with the others)."""

    kind = forms.ChoiceField(choices=PacketDocumentKind.choices, widget=forms.HiddenInput, required=False)
    file = MultipleFileField(label=_("Файл"), required=False, allow_empty_file=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind, label in PacketDocumentKind.choices:
            self.fields[packet_field(kind)] = MultipleFileField(label=label, required=False, allow_empty_file=True)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        uploads: list[tuple[str, Any]] = []
        if data.get("file"):
            if not data.get("kind"):
                self.add_error("kind", _("Выберите вид документа."))
            uploads += [(data.get("kind", ""), f) for f in data["file"]]
        for kind in PacketDocumentKind.values:
            uploads += [(kind, f) for f in data.get(packet_field(kind)) or []]
        if not uploads and not self.errors:
            raise forms.ValidationError(_("Выберите файл."), code="required")
        data["uploads"] = uploads
        return data

    def field_for(self, kind: str) -> forms.BoundField:
        return self[packet_field(kind)]


class StateSecretForm(forms.Form):
    number = forms.CharField(label=_("Номер заключения"), required=False, max_length=50)
    date = forms.DateField(label=_("Дата"), widget=DATE, error_messages={**DATE_ERRORS, "required": _("Укажите дату.")})
    commission = forms.CharField(
        label=_("Экспертная комиссия или ведущий эксперт"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    review_start = forms.DateField(label=_("Рассмотрено с"), required=False, widget=DATE, error_messages=DATE_ERRORS)
    review_end = forms.DateField(label=_("по"), required=False, widget=DATE, error_messages=DATE_ERRORS)
    outcome = forms.ChoiceField(
        label=_("Вывод"),
        choices=StateSecretOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Выберите вывод заключения.")},
    )


class ExportControlForm(forms.Form):
    number = forms.CharField(label=_("Номер акта"), required=False, max_length=50)
    date = forms.DateField(label=_("Дата"), widget=DATE, error_messages={**DATE_ERRORS, "required": _("Укажите дату.")})
    description = forms.CharField(label=_("Описание объекта"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    lists_checked = forms.MultipleChoiceField(
        label=_("Проверено по контрольным спискам"),
        choices=CONTROL_LISTS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        initial=[code for code, _ in CONTROL_LISTS],
    )
    outcome = forms.ChoiceField(
        label=_("Результат"),
        choices=ExportControlOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Выберите результат экспертизы.")},
    )
    outcome_details = forms.CharField(
        label=_("Обоснование / позиции списков"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    conclusion = forms.ChoiceField(
        label=_("Заключение"),
        choices=ExportControlConclusion.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Выберите заключение.")},
    )
