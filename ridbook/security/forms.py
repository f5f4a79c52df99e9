from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ridbook.security.models import EventKind


class EventFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Событие"), required=False, choices=[("", gettext_lazy("все")), *EventKind.choices]
    )
    user = forms.CharField(label=gettext_lazy("Пользователь"), required=False, max_length=150)
    since = forms.DateField(
        label=gettext_lazy("С"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
    )
    until = forms.DateField(
        label=gettext_lazy("По"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise forms.ValidationError(_("Начало периода позже его конца."))
        return data
