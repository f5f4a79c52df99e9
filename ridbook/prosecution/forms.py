from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from ridbook.accounts.permissions import Action, colleagues_of, users_who_may
from ridbook.prosecution import engine
from ridbook.prosecution.choices import INCOMING_KINDS, ApplicationKind, LetterKind, Office, PriorityKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class UserChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name)


class ApplicationForm(forms.Form):
    office = forms.ChoiceField(label=_("Ведомство"), choices=Office.choices)
    country = forms.CharField(label=_("Код страны (иностранное ведомство)"), max_length=2, required=False)
    kind = forms.ChoiceField(label=_("Вид охраны"), choices=ApplicationKind.choices)
    number = forms.CharField(label=_("Номер заявки"), max_length=50, required=False)
    filed_on = forms.DateField(label=_("Дата подачи (если заявка уже подана)"), required=False, widget=DATE)
    signatory = UserChoice(label=_("Уполномоченное лицо (подписывает заявку)"), queryset=None)
    responsible = UserChoice(label=_("Ответственный специалист по ИС"), queryset=None)
    attorney_name = forms.CharField(label=_("Патентный поверенный"), max_length=200, required=False)
    attorney_number = forms.CharField(label=_("Рег. номер поверенного"), max_length=20, required=False)

    def __init__(self, *args: Any, organization: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(UserChoice, self.fields["signatory"]).queryset = colleagues_of(organization).order_by(
            "last_name", "first_name"
        )
        cast(UserChoice, self.fields["responsible"]).queryset = users_who_may(Action.FILING_MANAGE, organization)


class EditForm(forms.Form):
    """The data of an application (its stage moves by events only)."""

    kind = forms.ChoiceField(label=_("Вид охраны"), choices=ApplicationKind.choices)
    number = forms.CharField(label=_("Номер заявки"), max_length=50, required=False)
    country = forms.CharField(label=_("Код страны (иностранное ведомство)"), max_length=2, required=False)
    signatory = UserChoice(label=_("Уполномоченное лицо (подписывает заявку)"), queryset=None)
    responsible = UserChoice(label=_("Ответственный специалист по ИС"), queryset=None)
    attorney_name = forms.CharField(label=_("Патентный поверенный"), max_length=200, required=False)
    attorney_number = forms.CharField(label=_("Рег. номер поверенного"), max_length=20, required=False)

    def __init__(self, *args: Any, organization: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(UserChoice, self.fields["signatory"]).queryset = colleagues_of(organization).order_by(
            "last_name", "first_name"
        )
        cast(UserChoice, self.fields["responsible"]).queryset = users_who_may(Action.FILING_MANAGE, organization)


class EventForm(forms.Form):
    code = forms.ChoiceField(label=_("Событие"), choices=())
    on = forms.DateField(label=_("Дата"), widget=DATE)
    task = forms.TypedChoiceField(
        label=_("Задача, которую закрывает событие (например, уплаченная пошлина)"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=(),
    )
    note = forms.CharField(label=_("Примечание"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    file = forms.FileField(label=_("Документ"), required=False)

    def __init__(self, *args: Any, codes: list[str], tasks: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["code"]).choices = [(code, engine.event_label(code)) for code in codes]
        choices: list[tuple[str, Any]] = [("", _("— все задачи, которые закрывает это событие —"))]
        choices += [(str(t.pk), f"{t.title} ({t.due:%d.%m.%Y})") for t in tasks]
        cast(forms.ChoiceField, self.fields["task"]).choices = choices


class LetterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Вид письма"), choices=[(k.value, k.label) for k in INCOMING_KINDS])
    number = forms.CharField(label=_("Номер письма"), max_length=100, required=False)
    received_on = forms.DateField(label=_("Дата получения"), widget=DATE)
    term = forms.DateField(label=_("Срок ответа"), required=False, widget=DATE)
    note = forms.CharField(label=_("Содержание"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    file = forms.FileField(label=_("Файл письма"), required=False)


class AnswerForm(forms.Form):
    letter = forms.IntegerField(widget=forms.HiddenInput)
    sent_on = forms.DateField(label=_("Дата отправки"), widget=DATE)
    number = forms.CharField(label=_("Исходящий номер"), max_length=100, required=False)
    note = forms.CharField(label=_("Содержание"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    file = forms.FileField(label=_("Файл ответа"), required=False)


class ExtendForm(forms.Form):
    letter = forms.IntegerField(widget=forms.HiddenInput)
    until = forms.DateField(label=_("Продлён до"), widget=DATE)
    requested_on = forms.DateField(label=_("Дата ходатайства"), required=False, widget=DATE)


class PriorityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Вид приоритета"), choices=PriorityKind.choices)
    number = forms.CharField(label=_("Номер"), max_length=100, required=False)
    date = forms.DateField(label=_("Дата приоритета"), widget=DATE)
    country = forms.CharField(label=_("Страна"), max_length=2, required=False)


class CloseForm(forms.Form):
    task = forms.IntegerField(widget=forms.HiddenInput)


class ReassignForm(forms.Form):
    task = forms.IntegerField(widget=forms.HiddenInput)
    owner = UserChoice(label=_("Исполнитель"), queryset=None)

    def __init__(self, *args: Any, organization: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(UserChoice, self.fields["owner"]).queryset = users_who_may(Action.FILING_MANAGE, organization)


LETTER_KINDS = dict(LetterKind.choices)
