"""Forms of the users pages (the list's filters are shared with ``GET /api/v1/users/``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ridbook.accounts.roles import Role
from ridbook.accounts.selectors import managed_organizations

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ROLE_CHOICES = [("", _("— выберите роль —")), *Role.choices]
ACTIVE_CHOICES = [("", _("все")), ("yes", _("действующие")), ("no", _("отключённые"))]


class _ManagedOrganizationMixin:
    """The organization field offers only the organizations where the actor assigns roles."""

    fields: dict[str, Any]
    required_css_class = "required"

    def _limit(self, actor: Any) -> None:
        self.fields["organization"].queryset = managed_organizations(actor).order_by("name")


class UserFilterForm(_ManagedOrganizationMixin, forms.Form):
    q = forms.CharField(label=_("Поиск по имени"), required=False, max_length=100)
    organization: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Организация"), queryset=None, required=False, empty_label=_("все")
    )
    role = forms.ChoiceField(label=_("Роль"), choices=[("", _("все")), *Role.choices], required=False)
    active = forms.ChoiceField(label=_("Учётные записи"), choices=ACTIVE_CHOICES, required=False)

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._limit(actor)

    def filters(self) -> dict[str, Any]:
        data = self.cleaned_data
        active = {"yes": True, "no": False}.get(data.get("active") or "")
        return {
            "q": data.get("q") or "",
            "organization": data.get("organization"),
            "role": data.get("role") or "",
            "active": active,
        }


class _PeriodForm(forms.Form):
    valid_from = forms.DateField(
        label=_("Действует с"), required=False, widget=DATE, help_text=_("пусто — с сегодняшнего дня")
    )
    valid_until = forms.DateField(
        label=_("Последний день"), required=False, widget=DATE, help_text=_("пусто — бессрочно")
    )


class RoleAssignForm(_ManagedOrganizationMixin, _PeriodForm):
    organization: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Организация"), queryset=None, error_messages={"required": _("Выберите организацию.")}
    )
    role = forms.ChoiceField(label=_("Роль"), choices=ROLE_CHOICES, error_messages={"required": _("Выберите роль.")})
    field_order = ["organization", "role", "valid_from", "valid_until"]

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._limit(actor)


class UserCreateForm(RoleAssignForm):
    username = forms.CharField(label=_("Имя пользователя (логин)"), max_length=150)
    last_name = forms.CharField(label=_("Фамилия"), max_length=150)
    first_name = forms.CharField(label=_("Имя"), max_length=150)
    middle_name = forms.CharField(label=_("Отчество"), max_length=150, required=False)
    email = forms.EmailField(label=_("Электронная почта"), required=False, help_text=_("на неё придёт приглашение"))
    password = forms.CharField(
        label=_("Пароль"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("пусто — пользователь получит по почте ссылку, чтобы задать пароль сам"),
    )
    field_order = ["username", "last_name", "first_name", "middle_name", "email", "password", "organization", "role"]


class RoleEndForm(forms.Form):
    required_css_class = "required"
    assignment = forms.IntegerField(widget=forms.HiddenInput)
    on = forms.DateField(
        label=_("Последний день роли"),
        widget=DATE,
        initial=timezone.localdate,
        error_messages={"required": _("Укажите последний день роли.")},
    )
    confirm = forms.BooleanField(
        label=_("Подтверждаю завершение роли"),
        error_messages={"required": _("Подтвердите завершение роли.")},
    )
