from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from ridbook.security.events import collecting


class SecurityEventsMiddleware:
    """Writes the request's permission denials once it is answered (see ``events.py``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with collecting(request):
            return self.get_response(request)
