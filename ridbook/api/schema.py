"""The OpenAPI schema's description, in the language of the request (a setting cannot hold a translation)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _


def describe(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """A drf-spectacular postprocessing hook."""
    result.setdefault("info", {})["description"] = _(
        'JSON API учёта РИД. Ошибки: {"error": {"code": ..., "message": ...}}.'
    )
    return result
