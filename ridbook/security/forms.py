from __future__ import annotations

from django import forms

from ridbook.security.models import EventKind


class EventFilterForm(forms.Form):
    kind = forms.ChoiceField(label="Событие", required=False, choices=[("", "все"), *EventKind.choices])
    user = forms.CharField(label="Пользователь", required=False, max_length=150)
    since = forms.DateField(
        label="С",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
    )
    until = forms.DateField(
        label="По",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise forms.ValidationError("Начало периода позже его конца.")
        return data
