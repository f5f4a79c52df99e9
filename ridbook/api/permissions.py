from __future__ import annotations

from typing import Any

from rest_framework.request import Request

from ridbook.accounts.permissions import Action, require


def require_api(request: Request, action: Action, organization: Any = None) -> None:
    """Raises :class:`PermissionDeniedError` (403 with the reason in the error body) when denied."""
    require(request.user, action, organization)


class ObjectFirstMixin:
    """A detail endpoint finds its object (or answers 404) before it reads the request's body: permission is
    decided before validation, so a user who may not see the object learns nothing from a validation message."""

    detail: bool

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        if self.detail:
            self.get_object()  # type: ignore[attr-defined]
