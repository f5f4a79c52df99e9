"""Faults become clear pages (or JSON under /api/), not tracebacks: an unreachable database, a denied action."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string

from ridbook.core.errors import PermissionDeniedError

logger = logging.getLogger("ridbook.db")

DB_DOWN_MESSAGE = "База данных недоступна. Повторите попытку через несколько минут или сообщите администратору."


def error_response(request: HttpRequest, status: int, code: str, message: str) -> HttpResponse:
    """The API's error format under /api/, the error page (``errors/<status>.html``) elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"error": {"code": code, "message": message}}, status=status)
    html = render_to_string(f"errors/{status}.html", {"message": message, "request": request})
    return HttpResponse(html, status=status)


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, PermissionDeniedError):
            return error_response(request, 403, exception.code, exception.message)
        if isinstance(exception, OperationalError):
            logger.error("database unavailable: %s", exception)
            return error_response(request, 503, "database_unavailable", DB_DOWN_MESSAGE)
        return None
