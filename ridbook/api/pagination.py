"""The API's pages: DRF's page numbers, with a number that is not one (or beyond ``MAX_PAGE``) a 400, not a 404 or a
database error. A page past the last is still 404, as DRF says it."""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

from ridbook.core.inputs import PAGE_MESSAGE, page_number


class Pagination(PageNumberPagination):
    def get_page_number(self, request: Any, paginator: Any) -> Any:
        value = request.query_params.get(self.page_query_param)
        if value in self.last_page_strings:
            return value
        number = page_number(value)
        if number is None:
            raise ValidationError({self.page_query_param: [PAGE_MESSAGE]})
        return number
