from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_noop

from ridbook.audit.context import Actor, acting_as


class ActorMiddleware:
    """Signs every change made while serving a request with the request's user."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            actor = Actor(user=user, label=user.get_username())
        else:
            actor = Actor.system(gettext_noop("анонимный запрос"))  # stored in Russian, shown translated
        with acting_as(actor):
            return self.get_response(request)
