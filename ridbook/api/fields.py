"""Fields that name another object by id: the id must be one the requesting user may see.

Another tree's id is answered as a missing one («объект не существует»): neither its name nor its existence is
told. The choice of what is visible is the selectors' (``registry.selectors.people_visible_to`` …), which ask the
permission module."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from rest_framework import serializers


class VisibleIdField(serializers.PrimaryKeyRelatedField):
    def __init__(self, *, visible: Callable[[Any], QuerySet[Any]], **kwargs: Any) -> None:
        self.visible = visible
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet[Any]:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        return self.visible(user or AnonymousUser())  # no request: an anonymous user, who sees nothing
