"""Domain errors: a machine-readable code and a message for the user (Russian)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise


class DomainError(Exception):
    """A business rule said no. Views show ``message``; the API returns ``code`` + ``message``."""

    code = "domain_error"
    status = 400

    def __init__(
        self, message: str, *, code: str | None = None, details: dict[str, Any] | None = None, status: int | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        if status:
            self.status = status
        self.details = details or {}


class PermissionDeniedError(DomainError):
    """A denial, by the permission module or by an object-level rule; every one is told to ``denial_listeners``."""

    code = "permission_denied"
    status = 403

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for listener in denial_listeners:
            listener(self)


# Who is told of every denial: the security log registers itself (the platform's core imports nothing of it).
denial_listeners: list[Callable[[PermissionDeniedError], None]] = []


NOT_SAVED = _("Данные не сохранены")


def invalid(errors: dict[str, str], prefix: StrOrPromise = NOT_SAVED) -> DomainError:
    """Field errors as one domain error: «<prefix>: <message>; <message>», the fields in ``details["fields"]``."""
    return DomainError(f"{prefix}: " + "; ".join(errors.values()), code="invalid", details={"fields": errors})
