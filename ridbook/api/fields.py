"""Fields that name another object by id: the id must be one the requesting user may see.

Another tree's id is answered as a missing one («объект не существует»): neither its name nor its existence is
told. The choice of what is visible is the selectors' (``registry.selectors.people_visible_to`` …), which ask the
permission module."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from rest_framework import serializers


class VisibleIdField(serializers.PrimaryKeyRelatedField):
    def __init__(self, *, visible: Callable[[Any], QuerySet[Any]], **kwargs: Any) -> None:
        self.visible = visible
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet[Any]:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is None:  # no request: nothing is visible (fail closed)
            base = super().get_queryset()
            return base.none() if base is not None else self.visible(None)
        return self.visible(user)
