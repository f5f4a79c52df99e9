"""Faults become clear pages (or JSON under /api/), not tracebacks: an unreachable database, a denied action, a
request with a NUL byte (``core.inputs``)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from ridbook.core.errors import PermissionDeniedError
from ridbook.core.inputs import NUL_MESSAGE, has_nul

logger = logging.getLogger("ridbook.db")

DB_DOWN_MESSAGE = _("База данных недоступна. Повторите попытку через несколько минут или сообщите администратору.")


def error_response(request: HttpRequest, status: int, code: str, message: str) -> HttpResponse:
    """The error as JSON in the API's format under /api/, else the page ``errors/<status>.html`` with the message."""
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
            return error_response(request, 503, "database_unavailable", str(DB_DOWN_MESSAGE))
        return None


class BadInputMiddleware:
    """A request with a NUL byte in its path, query or body values never reaches a view: 400 (``core.inputs``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if has_nul(request):
            return error_response(request, 400, "invalid", str(NUL_MESSAGE))
        return self.get_response(request)
