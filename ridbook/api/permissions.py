from __future__ import annotations

from typing import Any

from rest_framework.request import Request

from ridbook.accounts.permissions import Action, require


def require_api(request: Request, action: Action, organization: Any = None) -> None:
    """Raises :class:`PermissionDeniedError` (403 with the reason in the error body) when denied."""
    require(request.user, action, organization)
