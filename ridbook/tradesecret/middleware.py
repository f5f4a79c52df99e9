"""A response that carries trade-secret content is never kept by a browser or a proxy (``access.kept_from_caches``)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers


class NoStoreAfterContent:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.__dict__.get("_tradesecret_content"):
            add_never_cache_headers(response)
        return response
