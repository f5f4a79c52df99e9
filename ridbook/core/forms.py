"""What forms of every app share."""

from __future__ import annotations

from django import forms

from ridbook.core.errors import DomainError


def apply_domain_error(form: forms.BaseForm, exc: DomainError) -> None:
    """Put the service's field messages next to the fields; what has no field goes to the top of the form."""
    fields: dict[str, str] = exc.details.get("fields", {})
    for name, message in fields.items():
        form.add_error(name if name in form.fields else None, message)
    if not fields:
        form.add_error(None, exc.message)
