"""Forms of the commission's pages: typed input only; the rules live in ``services``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from ridbook.commission.choices import ApproverVerdict, MemberRole, Outcome
from ridbook.organizations.models import Organization
from ridbook.registry.choices import ProtectionForm

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CommissionForm(forms.Form):
    organization: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Организация"), queryset=Organization.objects.none(), empty_label=None
    )
    order_number = forms.CharField(label=_("Номер приказа о составе"), max_length=50)
    order_date = forms.DateField(label=_("Дата приказа"), widget=DATE)
    title = forms.CharField(
        label=_("Наименование"), max_length=300, required=False, help_text=_("по умолчанию — из политики")
    )
    default_place = forms.CharField(label=_("Место заседаний"), max_length=300, required=False)

    def __init__(self, *args: Any, organizations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]


class MemberForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Сотрудник"), queryset=get_user_model().objects.none())
    role = forms.ChoiceField(label=_("Роль в комиссии"), choices=MemberRole.choices, initial=MemberRole.MEMBER)
    position = forms.CharField(label=_("Должность"), max_length=300)

    def __init__(self, *args: Any, users: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if users is not None:
            self.fields["user"].queryset = users  # type: ignore[attr-defined]
        self.fields["user"].label_from_instance = lambda u: f"{u.full_name} ({u.username})"  # type: ignore[attr-defined]


class MemberRemovalForm(forms.Form):
    """Вывод из состава: по приказу, с подтверждением (одно нажатие ничего не меняет)."""

    order_number = forms.CharField(label=_("Приказ №"), max_length=50, required=False)
    order_date = forms.DateField(
        label=_("от"), widget=DATE, required=False, error_messages={"invalid": _("Введите дату приказа.")}
    )
    confirm = forms.BooleanField(
        label=_("Подтверждение"),
        error_messages={"required": _("отметьте «подтверждаю вывод из состава»: без этого состав не меняется.")},
    )


class ScheduleForm(forms.Form):
    date = forms.DateField(label=_("Дата заседания"), widget=DATE)
    time = forms.TimeField(label=_("Время"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    place = forms.CharField(label=_("Место"), max_length=300, required=False)
    duration_minutes = forms.IntegerField(
        label=_("Продолжительность, мин"), initial=90, min_value=15, max_value=600, required=False
    )


class PastMeetingForm(ScheduleForm):
    """A meeting that has taken place, entered after the fact: its reason; no notices are sent."""

    after_the_fact = forms.BooleanField(
        label=_("Заседание уже состоялось: внести после проведения (уведомления не рассылаются)"),
        required=False,
        initial=True,
        widget=forms.HiddenInput,
    )
    after_the_fact_reason = forms.CharField(
        label=_("Почему заседание вносится после проведения"),
        required=False,
        widget=forms.Textarea({"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_past_%s")
        super().__init__(*args, **kwargs)


class ProposalForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Проект решения (ПОСТАНОВИЛИ)"), choices=[("", _("— выберите —")), *Outcome.choices]
    )
    protection_form = forms.ChoiceField(
        label=_("Форма охраны"), choices=[("", "—"), *ProtectionForm.choices], required=False
    )
    reason = forms.CharField(
        label=_("Причина (перенос, доработка)"), required=False, widget=forms.Textarea({"rows": 2})
    )
    valuation_amount = forms.DecimalField(label=_("Балансовая стоимость, руб."), required=False, min_value=0)
    heard = forms.CharField(label=_("СЛУШАЛИ"), required=False, widget=forms.Textarea({"rows": 2}))
    spoke = forms.CharField(label=_("ВЫСТУПИЛИ"), required=False, widget=forms.Textarea({"rows": 2}))


class ResolutionForm(forms.Form):
    verdict = forms.ChoiceField(label=_("Резолюция"), choices=ApproverVerdict.choices, widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Комментарий"), required=False, widget=forms.Textarea({"rows": 3}))


class MoveForm(forms.Form):
    """Перенос заседания."""

    on = forms.DateField(label=_("Новая дата"), widget=forms.DateInput(attrs={"type": "date"}))
    at = forms.TimeField(label=_("Время"), widget=forms.TimeInput(attrs={"type": "time"}))
    place = forms.CharField(label=_("Место"), required=False, max_length=300)
    reason = forms.CharField(label=_("Причина переноса"), max_length=300)
    confirm_late = forms.BooleanField(label=_("перенести, даже если уведомления придут позже срока"), required=False)
