"""What forms of every app share."""

from __future__ import annotations

from typing import Any

from django import forms

from ridbook.core.errors import DomainError


def apply_domain_error(form: forms.BaseForm, exc: DomainError) -> None:
    """Put the service's field messages next to the fields; what has no field goes to the top of the form."""
    fields: dict[str, str] = exc.details.get("fields", {})
    for name, message in fields.items():
        form.add_error(name if name in form.fields else None, message)
    if not fields:
        form.add_error(None, exc.message)


class MultipleFileInput(forms.ClearableFileInput):
    """``<input type=file multiple>`` (Django's documented way: the widget allows several files)."""

    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field: ``cleaned_data`` is a list, each file cleaned as by a ``FileField``; an empty
    selection is «required» when the field is required, else an empty list."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        single = super().clean
        return [single(f, initial) for f in files]
