"""One error format for the whole API: ``{"error": {"code": "...", "message": "...", "details": {...}}}``."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from ridbook.core.errors import DomainError
from ridbook.security.tokens import EXPIRED_MESSAGE, TokenExpired

_CODES = {
    TokenExpired: ("token_expired", EXPIRED_MESSAGE),
    exceptions.NotAuthenticated: ("not_authenticated", gettext_lazy("Требуется вход в систему или токен.")),
    exceptions.AuthenticationFailed: ("authentication_failed", gettext_lazy("Неверные учётные данные или токен.")),
    exceptions.PermissionDenied: ("permission_denied", gettext_lazy("Недостаточно прав.")),
    exceptions.NotFound: ("not_found", gettext_lazy("Объект не найден.")),
    exceptions.MethodNotAllowed: ("method_not_allowed", gettext_lazy("Метод не поддерживается.")),
    exceptions.ValidationError: ("invalid", gettext_lazy("Данные не прошли проверку.")),
    exceptions.ParseError: ("parse_error", gettext_lazy("Запрос не удалось разобрать.")),
    exceptions.Throttled: ("throttled", gettext_lazy("Слишком много запросов.")),
}


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    body: dict[str, Any] = {"code": code, "message": message}
    if details:
        body["details"] = details
    return {"error": body}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DomainError):
        return Response(error_body(exc.code, exc.message, exc.details), status=exc.status)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    code, default_message = next(
        ((c, m) for cls, (c, m) in _CODES.items() if isinstance(exc, cls)), ("error", _("Ошибка запроса."))
    )
    if isinstance(exc, exceptions.ValidationError):
        message, details = default_message, exc.detail
    else:
        detail = str(exc.detail)
        message = detail if detail and detail != str(type(exc).default_detail) else default_message
        details = None
    response.data = error_body(code, str(message), details)
    if response.status_code == status.HTTP_401_UNAUTHORIZED and not response.has_header("WWW-Authenticate"):
        response["WWW-Authenticate"] = 'Token realm="api"'
    return response
