"""Production calendar (производственный календарь) of RU and UZ: working days, holidays, shortened days.

Where the answers come from, first match wins:

1. The data file ``data/<country>.toml``, for a year listed there: ``extra_working_days`` and ``extra_days_off``
   override the library (for a year where it is wrong); ``shortened`` is that year's complete list of
   pre-holiday days shortened by one hour; ``source`` names the official act.
2. The ``holidays`` library (pinned 0.109): public holidays, moved days off and working weekend days
   (``weekend_workdays``). LAW.md says the library lacks working Saturdays; that is outdated, 0.109 has them
   (RU 27.04.2024, 01.11.2025; UZ 04.01.2025, ...). It has no shortened days.
3. Shortened days of a year not listed in the data file are derived by rule when the file says
   ``derive_shortened = true`` (RU, see ``_shortened_by_rule``); otherwise there are none (UZ).

A year missing from the data file is still computed, from the library alone. A year the library has no decree
data for (before its first year or after its last) gets only the fixed holidays and ordinary weekends.

Counting conventions (SPEC §14):

- ``add_working_days(x, n)``: the n-th working day after x, x itself not counted ("within N working days of
  X"); n < 0 counts backwards; n == 0 returns x itself, whether or not it is a working day.
- ``working_days_before(m, n)``: "at least N working days before M" -> the latest allowed day, M minus N
  working days.
- ``working_days_between(start, end)``: working days in (start, end] (start excluded, end included), negative
  when end < start; so ``working_days_between(x, add_working_days(x, n)) == n`` for n >= 0.
- ``add_months(day, n)``: the same day of the month n months later, clamped to the month's last day.

Holiday names are Russian for RU; the library has no Russian for UZ (only en_US, uk, uz), so UZ names are
Uzbek (Latin script). ``describe_day`` (pages, API) gives the library's English names under English.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import cache, lru_cache
from pathlib import Path
from typing import Annotated, Any

import holidays
from dateutil.relativedelta import relativedelta
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import ErrorDetails

from ridbook.core.errors import DomainError
from ridbook.core.inputs import FIRST_YEAR, LAST_YEAR

DATA_DIR = Path(__file__).parent / "data"
ONE_DAY = timedelta(days=1)


class Country(StrEnum):
    RU = "RU"
    UZ = "UZ"


_LANGUAGE = {Country.RU: "ru", Country.UZ: "uz"}


class DayKind(StrEnum):
    WORKING = "working"
    SHORTENED = "shortened"  # a weekday shortened by one hour before a holiday
    WEEKEND = "weekend"
    HOLIDAY = "holiday"  # a public non-working holiday (RU: Labour Code art. 112)
    MOVED_DAY_OFF = "moved_day_off"  # a day off moved from a weekend, or an additional day off
    WORKING_WEEKEND = "working_weekend"  # a Saturday or Sunday made a working day (may also be shortened)


KIND_LABELS = {
    DayKind.WORKING: gettext_lazy("Рабочий день"),
    DayKind.SHORTENED: gettext_lazy("Предпраздничный день, сокращённый на 1 час"),
    DayKind.WEEKEND: gettext_lazy("Выходной день"),
    DayKind.HOLIDAY: gettext_lazy("Нерабочий праздничный день"),
    DayKind.MOVED_DAY_OFF: gettext_lazy("Перенесённый или дополнительный выходной день"),
    DayKind.WORKING_WEEKEND: gettext_lazy("Рабочий день (перенос выходного)"),
}
WEEKDAYS = (
    gettext_lazy("понедельник"),
    gettext_lazy("вторник"),
    gettext_lazy("среда"),
    gettext_lazy("четверг"),
    gettext_lazy("пятница"),
    gettext_lazy("суббота"),
    gettext_lazy("воскресенье"),
)


class UnknownCountry(ValueError):
    def __init__(self, country: object) -> None:
        self.country = country
        available = ", ".join(Country)
        super().__init__(
            _("Неизвестная страна производственного календаря: %(country)s (доступны: %(available)s)")
            % {"country": country, "available": available}
        )


class CalendarDataError(ValueError):
    """The data file is missing, is not valid TOML or does not match the schema."""


# --- data files -------------------------------------------------------------------------------------------


def _toml_date(value: object) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        return date.fromisoformat(value)
    raise ValueError(_("ожидается дата вида 2025-03-07"))


TomlDate = Annotated[date, BeforeValidator(_toml_date)]


class YearData(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str = Field(min_length=1)
    shortened: frozenset[TomlDate] = frozenset()
    extra_days_off: frozenset[TomlDate] = frozenset()
    extra_working_days: frozenset[TomlDate] = frozenset()


class CalendarData(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    country: Country
    derive_shortened: bool
    years: dict[int, YearData] = {}

    @model_validator(mode="after")
    def _check_years(self) -> CalendarData:
        for year, data in self.years.items():
            for field in ("shortened", "extra_days_off", "extra_working_days"):
                if wrong := sorted(d for d in getattr(data, field) if d.year != year):
                    raise ValueError(
                        _("years.%(year)s.%(field)s: дата %(wrong)s не из %(year)s года")
                        % {"year": year, "field": field, "wrong": wrong[0]}
                    )
            if both := sorted(data.extra_days_off & (data.extra_working_days | data.shortened)):
                raise ValueError(
                    _("years.%(year)s.extra_days_off: %(both)s указан и как рабочий день")
                    % {"year": year, "both": both[0]}
                )
        return self


def load_calendar_file(path: Path | str) -> CalendarData:
    """Read and validate one data file; any problem raises CalendarDataError naming the file and the field."""
    path = Path(path)
    prefix = _("Ошибка в файле производственного календаря %(path)s") % {"path": path}
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CalendarDataError(
            _("%(prefix)s: не удалось прочитать (%(strerror)s)") % {"prefix": prefix, "strerror": exc.strerror}
        ) from exc
    except tomllib.TOMLDecodeError as exc:
        raise CalendarDataError(_("%(prefix)s: неверный TOML: %(exc)s") % {"prefix": prefix, "exc": exc}) from exc
    try:
        return CalendarData.model_validate(raw)
    except ValidationError as exc:
        raise CalendarDataError(f"{prefix}: " + "; ".join(map(_problem, exc.errors()))) from exc


def _problem(err: ErrorDetails) -> str:
    """One pydantic error as ``years.2025.shortened.0: message`` (our ValueErrors without "Value error, ")."""
    message = str(err["ctx"]["error"]) if err["type"] == "value_error" and "ctx" in err else err["msg"]
    location = ".".join(str(part) for part in err["loc"])
    return f"{location}: {message}" if location else message


def load_country_data(country: str, *, data_dir: Path | None = None) -> CalendarData:
    """The data file of a country: ``<data_dir>/<country in lower case>.toml`` (default: the app's data/)."""
    c = _country(country)
    path = (data_dir or DATA_DIR) / f"{c.value.lower()}.toml"
    data = load_calendar_file(path)
    if data.country != c:
        raise CalendarDataError(
            _("Ошибка в файле производственного календаря %(path)s: country: %(country)s, ожидается %(expected)s")
            % {"path": path, "country": data.country, "expected": c.value}
        )
    return data


@cache
def _country_data(country: Country) -> CalendarData:
    return load_country_data(country)


def _year_data(country: Country, year: int) -> YearData | None:
    return _country_data(country).years.get(year)


# --- the library ------------------------------------------------------------------------------------------


@lru_cache(maxsize=256)
def _library(country: Country, year: int) -> holidays.HolidayBase:
    """All days off of the year: public holidays, observed and moved days off; plus ``weekend_workdays``."""
    return holidays.country_holidays(country.value, years=year, language=_LANGUAGE[country], expand=False)


@lru_cache(maxsize=256)
def _public_holidays(country: Country, year: int) -> dict[date, str]:
    """Only the fixed public holidays of the year: no observed, moved or additional days off."""
    lib = holidays.country_holidays(country.value, language=_LANGUAGE[country], observed=False, expand=False)
    lib.has_special_holidays = False  # a public attribute; assigning `years` re-populates without them
    lib.years = {year}
    return dict(lib)


def _is_public_holiday(day: date, country: Country) -> bool:
    return day in _public_holidays(country, day.year)


def _replaced_weekday(day: date, country: Country) -> date | None:
    """For a working weekend day: the weekday whose work moved onto it (that weekday became a day off).

    The library names that weekday "Выходной (перенесено с <day>)", in its own label and date format.
    """
    lib = _library(country, day.year)
    label, date_format = getattr(lib, "substituted_label", None), getattr(lib, "substituted_date_format", None)
    if day not in lib.weekend_workdays or not label or not date_format:
        return None
    wanted = lib.tr(label) % day.strftime(lib.tr(date_format))
    return next((d for d, names in lib.items() if wanted in names.split("; ")), None)


def _shortened_by_rule(day: date, country: Country) -> bool:
    """Shortened days of a year that the data file does not list.

    (1) Labour Code art. 95: a working day immediately followed (next calendar day) by a public non-working
        holiday; a day followed by a moved day off is not shortened.
    (2) Mintrud practice: a working weekend day that replaces a weekday shortened by (1) is itself shortened
        (02.11.2024 replaced 30.04.2024; 01.11.2025 replaced 03.11.2025).
    The RU lists of 2024-2026 in the data file agree with this rule (tested).
    """
    if not is_working_day(day, country):
        return False
    if _is_public_holiday(day + ONE_DAY, country):
        return True
    replaced = _replaced_weekday(day, country)
    return replaced is not None and _is_public_holiday(replaced + ONE_DAY, country)


def _country(country: str) -> Country:
    try:
        return Country(str(country).strip().upper())
    except ValueError:
        raise UnknownCountry(country) from None


# --- public functions -------------------------------------------------------------------------------------


def is_working_day(day: date, country: str) -> bool:
    c = _country(country)
    extra = _year_data(c, day.year)
    if extra is not None:
        if day in extra.extra_working_days:
            return True
        if day in extra.extra_days_off:
            return False
    return bool(_library(c, day.year).is_working_day(day))


def is_shortened_day(day: date, country: str) -> bool:
    """A working day shortened by one hour before a holiday (Labour Code RF art. 95)."""
    c = _country(country)
    extra = _year_data(c, day.year)
    if extra is not None:
        return day in extra.shortened
    return _country_data(c).derive_shortened and _shortened_by_rule(day, c)


@dataclass(frozen=True, slots=True)
class DayInfo:
    day: date
    country: Country
    kind: DayKind
    name: str | None  # the holiday's or moved day off's name, where the library has one
    is_working: bool
    is_shortened: bool
    source: str | None  # the year's official act, when the data file lists the year


def day_info(day: date, country: str) -> DayInfo:
    c = _country(country)
    lib = _library(c, day.year)
    weekend = day.weekday() in lib.weekend
    working = is_working_day(day, c)
    shortened = working and is_shortened_day(day, c)
    name: str | None = None
    if working:
        kind = DayKind.WORKING_WEEKEND if weekend else DayKind.SHORTENED if shortened else DayKind.WORKING
    elif _is_public_holiday(day, c):
        kind, name = DayKind.HOLIDAY, _public_holidays(c, day.year)[day]
    elif day in lib or not weekend:  # not weekend: a day off from the data file's extra_days_off
        kind, name = DayKind.MOVED_DAY_OFF, lib.get(day)
    else:
        kind = DayKind.WEEKEND
    extra = _year_data(c, day.year)
    return DayInfo(day, c, kind, name, working, shortened, extra.source if extra else None)


def day_kind(day: date, country: str) -> DayKind:
    return day_info(day, country).kind


@lru_cache(maxsize=64)
def _english_names(country: Country, year: int) -> dict[date, str]:
    """The library's names of the year's days off in English (``en_US``; it has it for RU and UZ)."""
    return dict(holidays.country_holidays(country.value, years=year, language="en_US", expand=False))


def _shown_name(info: DayInfo) -> str | None:
    """The day's name in the language of the request: the library's English one under English."""
    if info.name is None or not (get_language() or "").startswith("en"):
        return info.name
    return _english_names(info.country, info.day.year).get(info.day, info.name)


def describe_day(day: date, country: str) -> dict[str, Any]:
    """A JSON-ready description of a day, for the API and the UI (in the language of the request)."""
    info = day_info(day, country)
    label = str(KIND_LABELS[info.kind])
    if info.kind is DayKind.WORKING_WEEKEND and info.is_shortened:
        label += _(", сокращённый на 1 час")
    return {
        "date": info.day.isoformat(),
        "country": info.country.value,
        "weekday": str(WEEKDAYS[info.day.weekday()]),
        "kind": info.kind.value,
        "kind_label": label,
        "name": _shown_name(info),
        "is_working": info.is_working,
        "is_shortened": info.is_shortened,
        "source": info.source,
    }


class OutOfCalendar(DomainError):
    code = "out_of_range"


def _in_calendar(*days: date) -> None:
    """Refuse (``OutOfCalendar``: 400 in the API) a day outside ``FIRST_YEAR``–``LAST_YEAR``: counting working days
    from 31.12.9999 would overflow, and from today to it would walk three million days."""
    for day in days:
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise OutOfCalendar(
                _(
                    "Дата %(day)s.%(month)s.%(year)s вне производственного календаря: рабочие дни считаются "
                    "для %(first)s–%(last)s годов."
                )
                % {
                    "day": format(day.day, "02d"),
                    "month": format(day.month, "02d"),
                    "year": day.year,
                    "first": FIRST_YEAR,
                    "last": LAST_YEAR,
                },
                details={"fields": {"date": _("Дата вне производственного календаря.")}},
            )


def add_working_days(day: date, n: int, country: str) -> date:
    """The n-th working day after ``day`` (``day`` not counted); before it for n < 0; ``day`` for n == 0. Both days
    must be in the calendar's years (``OutOfCalendar``)."""
    c = _country(country)
    _in_calendar(day)
    step = ONE_DAY if n > 0 else -ONE_DAY
    remaining = abs(n)
    while remaining:
        day += step
        if day.year > LAST_YEAR or day.year < FIRST_YEAR:
            _in_calendar(day)
        if is_working_day(day, c):
            remaining -= 1
    return day


def working_days_before(day: date, n: int, country: str) -> date:
    """ "At least n working days before ``day``": the latest allowed day, ``day`` minus n working days."""
    if n < 0:
        raise ValueError(_("Число рабочих дней не может быть отрицательным: %(n)s") % {"n": n})
    return add_working_days(day, -n, country)


def working_days_between(start: date, end: date, country: str) -> int:
    """Working days in (start, end]: start excluded, end included; negative when end < start."""
    if end < start:
        return -working_days_between(end, start, country)
    c = _country(country)
    _in_calendar(start, end)
    return sum(is_working_day(start + timedelta(days=i), c) for i in range(1, (end - start).days + 1))


def working_days_in_year(year: int, country: str) -> int:
    return working_days_between(date(year - 1, 12, 31), date(year, 12, 31), country)


def next_working_day(day: date, country: str) -> date:
    """``day`` itself if it is a working day, otherwise the first working day after it."""
    c = _country(country)
    while not is_working_day(day, c):
        day += ONE_DAY
    return day


def add_months(day: date, n: int) -> date:
    """The same day of the month n months later (n < 0: earlier), clamped to the month's last day."""
    result: date = day + relativedelta(months=n)
    return result
