"""The columns of the registry spreadsheet and the small conversions shared by the export and the import.

Values in our own format are what a person reads: Russian labels of kinds and statuses, «да»/«нет», dates as
ДД.ММ.ГГГГ in CSV (real dates in XLSX), lists separated by «; », authors as «Фамилия И. О. (NN %)».
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import cached_property, lru_cache
from typing import Any

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy

NUMBER = "Учётный номер"  # i18n: ru-only (a header of the Russian registry file)
KIND = "Вид РИД"  # i18n: ru-only (a header of the Russian registry file)
TITLE = "Наименование"  # i18n: ru-only (a header of the Russian registry file)
ORIGIN = "Служебный / инициативный"  # i18n: ru-only (a header of the Russian registry file)
DIVISION = "Подразделение"  # i18n: ru-only (a header of the Russian registry file)
STATUS = "Статус"  # i18n: ru-only (a header of the Russian registry file)
CREATED = "Дата создания"  # i18n: ru-only (a header of the Russian registry file)
FUNDING = "Вид финансирования"  # i18n: ru-only (a header of the Russian registry file)
KEYWORDS = "Ключевые слова"  # i18n: ru-only (a header of the Russian registry file)
OKPD2 = "ОКПД2"  # i18n: ru-only (a header of the Russian registry file)
IPC = "МПК"  # i18n: ru-only (a header of the Russian registry file)
AUTHORS = "Авторы"  # i18n: ru-only (a header of the Russian registry file)
PUBLISHED = "Опубликован"  # i18n: ru-only (a header of the Russian registry file)
PUBLICATION_DATE = "Дата публикации"  # i18n: ru-only (a header of the Russian registry file)
TRADE_SECRET = "Коммерческая тайна"  # i18n: ru-only (a header of the Russian registry file)

OWN_COLUMNS = [
    NUMBER,
    KIND,
    TITLE,
    ORIGIN,
    DIVISION,
    STATUS,
    CREATED,
    FUNDING,
    KEYWORDS,
    OKPD2,
    IPC,
    AUTHORS,
    PUBLISHED,
    PUBLICATION_DATE,
    TRADE_SECRET,
]
# What the page calls a column of our own format: the header of the file is matched in Russian (above), the reader
# sees it in his language.
COLUMN_LABELS: dict[str, Any] = {
    NUMBER: gettext_lazy("Учётный номер"),
    KIND: gettext_lazy("Вид РИД"),
    TITLE: gettext_lazy("Наименование"),
    ORIGIN: gettext_lazy("Служебный / инициативный"),
    DIVISION: gettext_lazy("Подразделение"),
    STATUS: gettext_lazy("Статус"),
    CREATED: gettext_lazy("Дата создания"),
    FUNDING: gettext_lazy("Вид финансирования"),
    KEYWORDS: gettext_lazy("Ключевые слова"),
    OKPD2: gettext_lazy("ОКПД2"),
    IPC: gettext_lazy("МПК"),
    AUTHORS: gettext_lazy("Авторы"),
    PUBLISHED: gettext_lazy("Опубликован"),
    PUBLICATION_DATE: gettext_lazy("Дата публикации"),
    TRADE_SECRET: gettext_lazy("Коммерческая тайна"),
}
OWN_REQUIRED = [KIND, TITLE]
# Read for information only: an imported RID starts its workflow anew (status draft, created now).
OWN_IGNORED_ON_IMPORT = {STATUS, CREATED}

FIPS_NUMBER = "registration number"
FIPS_DATE = "registration date"
FIPS_APPLICATION_NUMBER = "application number"
FIPS_APPLICATION_DATE = "application date"
FIPS_AUTHORS = "authors"
FIPS_HOLDERS = "right holders"
FIPS_TITLE = "program name"
FIPS_PUBLISH_DATE = "registration publish date"
FIPS_PUBLISH_NUMBER = "registration publish number"
FIPS_ACTUAL = "actual"
FIPS_URL = "publication URL"
FIPS_COLUMNS = [
    FIPS_NUMBER,
    FIPS_DATE,
    FIPS_APPLICATION_NUMBER,
    FIPS_APPLICATION_DATE,
    FIPS_AUTHORS,
    "authors count",
    FIPS_HOLDERS,
    "contact to third parties",
    FIPS_TITLE,
    "creation year",
    FIPS_PUBLISH_DATE,
    FIPS_PUBLISH_NUMBER,
    FIPS_ACTUAL,
    FIPS_URL,
]
FIPS_REQUIRED = [FIPS_NUMBER, FIPS_DATE, FIPS_AUTHORS, FIPS_TITLE]

# The FIPS open registries of inventions, utility models and industrial designs (../shared/data/fips/README.md):
# the columns the import reads; the others of those files (priorities, PCT, EA, Crimean, Latin) are left as they are.
PATENT_HOLDERS = "patent holders"
PATENT_APPLICATION_PUBLISH_DATE = "application publish date"
PATENT_APPLICATION_PUBLISH_NUMBER = "application publish number"
PATENT_GRANT_PUBLISH_DATE = "patent grant publish date"
PATENT_GRANT_PUBLISH_NUMBER = "patent grant publish number"
PATENT_EXPIRATION = "expiration date"
INVENTION_TITLE = "invention name"
UTILITY_MODEL_TITLE = "utility model name"
INDUSTRIAL_DESIGN_TITLE = "industrial design name"
IPC_COLUMN = "mpk"
LOCARNO_COLUMN = "mkpo"
PATENT_COLUMNS = [
    FIPS_NUMBER,
    FIPS_DATE,
    FIPS_APPLICATION_NUMBER,
    FIPS_APPLICATION_DATE,
    FIPS_AUTHORS,
    PATENT_HOLDERS,
    PATENT_APPLICATION_PUBLISH_DATE,
    PATENT_APPLICATION_PUBLISH_NUMBER,
    PATENT_GRANT_PUBLISH_DATE,
    PATENT_GRANT_PUBLISH_NUMBER,
    PATENT_EXPIRATION,
    FIPS_ACTUAL,
    FIPS_URL,
]

LIST_SEPARATOR = "; "
YES, NO = "да", "нет"  # i18n: ru-only (values of the Russian registry file)
_TRUE = {"да", "true", "1", "истина", "yes"}  # i18n: ru-only (values read from the file)
_FALSE = {"нет", "false", "0", "ложь", "no", ""}  # i18n: ru-only (values read from the file)


def column_label(column: str) -> str:
    """A column as the page names it: ours translated, the FIPS ones (English headers) as they are."""
    return str(COLUMN_LABELS.get(column, column))


def header_key(text: str) -> str:
    """How header cells are compared: case, spaces and a byte-order mark do not matter."""
    return " ".join(text.replace("\ufeff", "").split()).casefold()


def yes_no(value: bool) -> str:
    return YES if value else NO


def parse_bool(text: str) -> bool | None:
    value = text.strip().casefold()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    return None


def parse_date(value: str | date) -> date | None:
    """ДД.ММ.ГГГГ, ГГГГ-ММ-ДД or ГГГГММДД (FIPS); a real date from XLSX passes through. None if unreadable."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = value.strip()
    try:  # the two common shapes without strptime (it is slow for a hundred thousand rows)
        if len(text) == 10 and text[2] == "." and text[5] == ".":
            return date(int(text[6:]), int(text[3:5]), int(text[:2]))
        if len(text) == 8 and text.isdigit():
            return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None
    for fmt in ("%d.%m.%Y", "%Y-%m-%d", "%Y%m%d"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def format_date(value: date | None) -> str:
    return f"{value:%d.%m.%Y}" if value else ""


def split_list(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"[;,]", text) if p.strip()]


def choice_lookup(choices: type[models.TextChoices]) -> dict[str, str]:
    """Label or code (any case) → code. The labels are Russian, as the registry file writes them, whatever the
    language of the page."""
    with translation.override("ru"):
        lookup = {str(label).casefold(): str(value) for value, label in choices.choices}
    lookup.update({str(value).casefold(): str(value) for value in choices.values})
    return lookup


@lru_cache(maxsize=4096)  # a handful of distinct shares (100, 50, 33,34, …) over a whole registry
@lru_cache(maxsize=4096)  # a handful of distinct shares over a whole registry
def format_coefficient(value: Decimal) -> str:
    """60.00 → «60», 33.34 → «33,34» (Russian decimal comma)."""
    text = f"{value.normalize():f}" if value == value.to_integral() else f"{value:.2f}".rstrip("0")
    return text.replace(".", ",")


def parse_coefficient(text: str) -> Decimal | None:
    try:
        return Decimal(text.strip().replace(",", ".").replace(" ", ""))
    except InvalidOperation:
        return None


@dataclass(frozen=True)
class PersonName:
    """A name as written in a file. ``first``/``middle`` are a full name or an initial with a dot («Ю.»)."""

    last: str
    first: str
    middle: str = ""

    @cached_property
    def key(self) -> tuple[str, str, str]:
        """Surname and initials, normalized: the people a name can possibly denote share this key."""
        return name_key(self.last, self.first, self.middle)

    @cached_property
    def full(self) -> tuple[str, str]:
        return (norm_name(self.first), norm_name(self.middle))

    def short(self) -> str:
        return short_name(self.last, self.first, self.middle)


@lru_cache(maxsize=65536)
def norm_name(text: str) -> str:
    """A name or initial as names are compared: no case, «ё» as «е» (cached: names repeat, and an import compares
    hundreds of thousands of them)."""
    return text.strip().casefold().replace("ё", "е")  # i18n: ru-only (names compared with «ё» as «е»)


def name_key(last: str, first: str, middle: str) -> tuple[str, str, str]:
    """Surname and initials, normalized: the people a name can possibly denote share this key."""
    return (norm_name(last), norm_name(first[:1]), norm_name(middle[:1]))


@lru_cache(maxsize=65536)
def is_initial(text: str) -> bool:
    return len(text.rstrip(".")) <= 1


def short_name(last: str, first: str, middle: str) -> str:
    """«Иванов П. С.»"""
    initials = " ".join(f"{p[0]}." for p in (first, middle) if p)
    return f"{last} {initials}".strip()


INITIALS_RE = re.compile(r"^(?P<last>[^\s.]+)\s+(?P<first>[^\W\d_])\.\s*(?:(?P<middle>[^\W\d_])\.?)?$")


@lru_cache(maxsize=100_000)
def parse_person_name(text: str) -> PersonName | None:
    """«Косарева Ю.А.», «Иванов П. С.», «Тюхов Борис Петрович», «Мамедов Али Гусейн оглы». None: not a name."""
    text = " ".join(text.replace("\u00a0", " ").split())
    text = re.sub(r"\s*\([^)]*\)", "", text).strip()  # a transliteration in brackets: «Tate Ulsaker (Тейт Улсакер)»
    if match := INITIALS_RE.match(text):
        middle = match["middle"]
        return PersonName(match["last"], f"{match['first']}.", f"{middle}." if middle else "")
    parts = [p[:-1] if len(p) > 2 and p.endswith(".") and not p.endswith("..") else p for p in text.split(" ")]
    if len(parts) < 2 or any(p.endswith(".") for p in parts) or "." in parts[0]:
        return None
    first, middle = parts[1], " ".join(parts[2:])
    return PersonName(parts[0], f"{first}." if len(first) == 1 else first, f"{middle}." if len(middle) == 1 else middle)
