"""What a request may carry, checked once for every view (``middleware.BadInputMiddleware``) or where a number is read.

- A NUL byte (``\\x00``) in the path, a query parameter (name or value) or a body value (form, multipart fields,
  JSON strings) is refused with 400: PostgreSQL cannot store or compare text with one, and nothing typed by a person
  contains one.
- A page number is an integer from 1 to ``MAX_PAGE``; a year one from ``FIRST_YEAR`` to ``LAST_YEAR`` (``YearFilter``
  for the lists, ``DayFilter`` for a date; the production calendar counts working days in the same years).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime

import django_filters
from django import forms
from django.http import HttpRequest, QueryDict
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

NUL_MESSAGE = _("Запрос содержит недопустимый символ (нулевой байт): уберите его.")
MAX_PAGE = 1_000_000  # 50 million rows at 50 a page: beyond any registry
# the messages with a number are made when shown, in the language of the request
PAGE_MESSAGE = lazy(
    lambda: (
        gettext("Номер страницы — целое число от 1 до %(max)s.") % {"max": format(MAX_PAGE, ",").replace(",", "\u00a0")}
    ),
    str,
)()
FIRST_YEAR, LAST_YEAR = 1900, 2199  # a date outside them is a typing error
YEAR_MESSAGE = lazy(
    lambda: gettext("Год — целое число от %(first)s до %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR}, str
)()
MAX_ID = 2**63 - 1  # a primary key (BigAutoField)
ID_MESSAGE = _("Идентификатор — целое положительное число.")

# «\u0000» in JSON text, unless its backslash is itself escaped (an even run of backslashes before it is text)
_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _has_nul(items: Iterable[tuple[str, list[str]]]) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in items)


def has_nul(request: HttpRequest) -> bool:
    """A NUL byte anywhere a view would read text from: path, query, a form's fields, a file's name, a JSON body."""
    if "\x00" in request.path or _has_nul(request.GET.lists()):
        return True
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return False
    content_type = request.content_type or ""
    if content_type in _FORM_TYPES:
        post: QueryDict = request.POST  # parsed once: the view (and DRF) reuse it
        names = ((key, [f.name or "" for f in files]) for key, files in request.FILES.lists())
        return _has_nul(post.lists()) or _has_nul(names)
    if content_type == "application/json" or content_type.endswith("+json"):
        return bool(_JSON_NUL.search(request.body))
    return False


def page_number(value: object) -> int | None:
    """The page asked for (1 when none), or None when it is not an integer from 1 to ``MAX_PAGE``."""
    if value in (None, ""):
        return 1
    text = str(value).strip()
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_PAGE)):
        return None
    number = int(text)
    return number if 1 <= number <= MAX_PAGE else None


class _BoundedIntegerFilter(django_filters.NumberFilter):
    """A list's filter by an integer within ``bounds`` (else the filter is invalid: 400 in the API, the value
    ignored with its message on a page), never a number Python's dates or the database cannot hold."""

    field_class = forms.IntegerField
    bounds: tuple[int, int]
    message: StrOrPromise

    def __init__(self, *args: object, **kwargs: object) -> None:
        messages = {"invalid": self.message, "min_value": self.message, "max_value": self.message}
        low, high = self.bounds
        kwargs = {"min_value": low, "max_value": high, "error_messages": messages, **kwargs}
        super().__init__(*args, **kwargs)


class YearFilter(_BoundedIntegerFilter):
    bounds, message = (FIRST_YEAR, LAST_YEAR), YEAR_MESSAGE


class IdFilter(_BoundedIntegerFilter):
    bounds, message = (1, MAX_ID), ID_MESSAGE


DAY_MESSAGE = lazy(
    lambda: (
        gettext("Дата — ДД.ММ.ГГГГ (или ГГГГ-ММ-ДД), год от %(first)s до %(last)s.")
        % {"first": FIRST_YEAR, "last": LAST_YEAR}
    ),
    str,
)()


class DayField(forms.DateField):
    """A date typed as ДД.ММ.ГГГГ or ГГГГ-ММ-ДД whose year is from ``FIRST_YEAR`` to ``LAST_YEAR``."""

    default_error_messages = {"invalid": DAY_MESSAGE}

    def to_python(self, value: str | datetime | date | None) -> date | None:
        day = super().to_python(value)
        if day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise forms.ValidationError(DAY_MESSAGE, code="invalid")
        return day


class DayFilter(django_filters.DateFilter):
    """A list's filter by a date (a period's start or end): a range-checked ``DayField``."""

    field_class = DayField
