"""Forms of the registry pages. They only parse input (types, choices); the rules and their Russian messages are the
services' (``DomainError.details["fields"]``), put next to the fields by :func:`ridbook.core.forms.apply_domain_error`."""

from __future__ import annotations

from typing import Any

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

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
DATE_ERRORS = {"invalid": "Введите дату в формате ДД.ММ.ГГГГ."}
NUMBER_ERRORS = {"invalid": "Введите целое число.", "min_value": "Число не может быть отрицательным."}

# Fieldsets in the order and with the numbers of the notice form (TPU appendix 2).
NOTICE_FIELDSETS: list[tuple[str, list[str]]] = [
    (
        "1. Наименование и вид РИД",
        ["kind", "other_subtype", "title", "origin", "employer_resources_used", "initiative_agreement", "organization"],
    ),
    ("2. Назначение (задача)", ["purpose"]),
    (
        "3. Источник финансирования",
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
        "3.4. Сведения о заказчике НИОКР",
        ["customer_full_name", "customer_short_name", "customer_founder", "customer_ogrn", "customer_okopf"],
    ),
    ("3.5. Предполагаемое закрепление прав", ["rights_allocation"]),
    ("4. Ключевые слова", ["keywords"]),
    ("5. Реферат", ["abstract"]),
    (
        "6–13. Использование и классификаторы",
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
        "16–17. Коммерческая тайна и публикация",
        ["trade_secret", "published", "publication_date", "publication_sources"],
    ),
]

NOTICE_LABELS = {
    "kind": "Вид РИД",
    "other_subtype": "Вид иного РИД",
    "title": "Наименование",
    "origin": "Служебный или инициативный",
    "employer_resources_used": "Использованы средства, оборудование или материалы работодателя",
    "initiative_agreement": "Договор с работодателем (инициативный РИД)",
    "organization": "Подразделение",
    "purpose": "Назначение (решаемая задача)",
    "funding_kind": "Вид финансирования",
    "funding_other": "Иной источник (какой)",
    "funding_agreement_number": "Номер договора (соглашения)",
    "funding_agreement_date": "Дата договора (соглашения)",
    "internal_project_number": "Внутренний номер проекта",
    "rnd_title": "3.1. Наименование НИОКР",
    "rnd_leader": "3.2. Руководитель НИОКР",
    "rnd_registration_number": "3.3. Регистрационный номер НИОКР",
    "customer_full_name": "Полное наименование заказчика",
    "customer_short_name": "Сокращённое наименование",
    "customer_founder": "Учредитель (ведомственная принадлежность)",
    "customer_ogrn": "ОГРН",
    "customer_okopf": "ОКОПФ",
    "rights_allocation": "Права по договору (соглашению)",
    "keywords": "Ключевые слова",
    "abstract": "Реферат",
    "uses": "6. Возможные направления (способы) использования",
    "prototypes_count": "7. Количество опытных образцов с РИД",
    "useful_life_years": "8. Примерный срок полезного использования, лет",
    "core_facility_used": "9. Создан с использованием оборудования ЦКП",
    "core_facility_name": "Наименование ЦКП",
    "okpd2": "10. Код ОКПД2",
    "grnti_codes": "11. Коды ГРНТИ",
    "oecd_code": "12. Код классификатора ОЭСР",
    "ipc_codes": "13. Коды МПК",
    "trade_secret": "16. Содержит коммерческую тайну организации",
    "published": "17. Сведения о РИД публиковались",
    "publication_date": "Дата первой публикации",
    "publication_sources": "Источники публикации",
}

NOTICE_HELP = {
    "customer_full_name": "Если заказчик — Минобрнауки России, укажите только «Минобрнауки России».",
    "keywords": "От 1 до 5 слов или словосочетаний через запятую.",
    "abstract": "Не более 900 знаков; для программ и баз данных — назначение, область применения, функции.",
    "okpd2": "Одна подкатегория вида XX.XX.XX.XXX, например 62.01.11.000.",
    "grnti_codes": "Через запятую, например 20.53.19.",
    "ipc_codes": "Только для изобретений; через запятую, например G06F 17/30.",
    "customer_okopf": "5 цифр.",
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
            "kind": {"required": "Выберите вид РИД."},
            "title": {"required": "Укажите наименование РИД."},
            "organization": {"required": "Выберите подразделение."},
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
        self.fields["organization"].empty_label = "— выберите подразделение —"  # type: ignore[attr-defined]
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

    def fieldsets(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(legend, [self[name] for name in names]) for legend, names in NOTICE_FIELDSETS]


class PersonForm(forms.Form):
    """A new person in the author picker. Required fields and ИНН/СНИЛС are checked by ``person_save``."""

    last_name = forms.CharField(label="Фамилия", required=False, max_length=100)
    first_name = forms.CharField(label="Имя", required=False, max_length=100)
    middle_name = forms.CharField(label="Отчество", required=False, max_length=100)
    birth_date = forms.DateField(label="Дата рождения", required=False, widget=DATE, error_messages=DATE_ERRORS)
    organization: forms.ModelChoiceField[Organization] = forms.ModelChoiceField(
        label="Подразделение", queryset=Organization.objects.none(), required=False, empty_label="— вне организации —"
    )
    position = forms.CharField(label="Должность", required=False, max_length=200)
    workplace = forms.CharField(label="Место работы (если вне организации)", required=False, max_length=300)
    email = forms.EmailField(label="E-mail", required=False, error_messages={"invalid": "Введите правильный e-mail."})
    snils = forms.CharField(label="СНИЛС", required=False, max_length=14)
    inn = forms.CharField(label="ИНН", required=False, max_length=12)

    def __init__(self, *args: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]


class ContributorForm(forms.Form):
    person = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        widget=forms.HiddenInput,
        error_messages={
            "required": "Выберите человека поиском по фамилии.",
            "invalid_choice": "Выберите человека поиском по фамилии.",
        },
    )
    assistance = forms.CharField(label="Характер содействия", required=False, max_length=300)

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people  # type: ignore[attr-defined]


class ReceiveForm(forms.Form):
    received_on = forms.DateField(label="Дата поступления", required=False, widget=DATE, error_messages=DATE_ERRORS)


class ReturnForm(forms.Form):
    reasons = forms.CharField(
        label="Причины возврата",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "что не так и что исправить"}),
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
    number = forms.CharField(label="Номер заключения", required=False, max_length=50)
    date = forms.DateField(label="Дата", widget=DATE, error_messages={**DATE_ERRORS, "required": "Укажите дату."})
    commission = forms.CharField(
        label="Экспертная комиссия или ведущий эксперт", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    review_start = forms.DateField(label="Рассмотрено с", required=False, widget=DATE, error_messages=DATE_ERRORS)
    review_end = forms.DateField(label="по", required=False, widget=DATE, error_messages=DATE_ERRORS)
    outcome = forms.ChoiceField(
        label="Вывод",
        choices=StateSecretOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Выберите вывод заключения."},
    )


class ExportControlForm(forms.Form):
    number = forms.CharField(label="Номер акта", required=False, max_length=50)
    date = forms.DateField(label="Дата", widget=DATE, error_messages={**DATE_ERRORS, "required": "Укажите дату."})
    description = forms.CharField(label="Описание объекта", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    lists_checked = forms.MultipleChoiceField(
        label="Проверено по контрольным спискам",
        choices=CONTROL_LISTS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        initial=[code for code, _ in CONTROL_LISTS],
    )
    outcome = forms.ChoiceField(
        label="Результат",
        choices=ExportControlOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Выберите результат экспертизы."},
    )
    outcome_details = forms.CharField(
        label="Обоснование / позиции списков", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    conclusion = forms.ChoiceField(
        label="Заключение",
        choices=ExportControlConclusion.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Выберите заключение."},
    )
