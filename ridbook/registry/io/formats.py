"""The two formats an import reads, recognized by the header: our own export and the FIPS open registry.

A parser turns a row's values into an unsaved RID and its authors' names, and adds a ``Problem`` for each bad value.
- Our format: status «черновик» (an imported notice starts its workflow anew); «Статус» and «Дата создания» are for
  people and are not read; the number is kept when present (rows without one get new numbers).
- FIPS (registered computer programs): kind «программа для ЭВМ», status «принято» (the program is registered).
  The registration number and date, the application, the holders, the bulletin and the URL go to «источники
  публикации»; the registration date is «принято к рассмотрению», the application date the dates of receipt and
  «стало известно о РИД», the bulletin date the publication date. Authors get equal coefficients summing to exactly
  100 % (the remainder goes, one hundredth each, to the first authors). A row without authors is imported without
  them, with a warning.
- A FIPS row is a registration already granted: its RID has the status «получен охранный документ» (never in the
  commission's queue) and gets its protection document (in force or not, per «actual» and the expiration date). Every
  row lands: a missing title, an author written by one word or by initials only («R.E.A.», «КГБ») or named twice
  is imported and flagged for review (``Rid.needs_review`` with the reasons), not refused.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from django.db.models.base import ModelState
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.utils import get_column_letter

from ridbook.organizations.models import Organization
from ridbook.organizations.selectors import descendant_ids
from ridbook.registry import validation as v
from ridbook.registry.choices import FundingKind, Origin, RidKind, RidStatus
from ridbook.registry.io import columns as c
from ridbook.registry.io.people import Slot
from ridbook.registry.io.reading import Value
from ridbook.registry.io.report import FIPS, FIPS_INDUSTRIAL_DESIGNS, FIPS_INVENTIONS, FIPS_UTILITY_MODELS, OWN, Problem
from ridbook.registry.models import Rid

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

COUNTRIES = {
    "RU": "Российская Федерация",  # i18n: ru-only (citizenship: stored data)
    "BY": "Республика Беларусь",  # i18n: ru-only (citizenship: stored data)
    "UA": "Украина",  # i18n: ru-only (citizenship: stored data)
    "KZ": "Республика Казахстан",  # i18n: ru-only (citizenship: stored data)
    "UZ": "Республика Узбекистан",  # i18n: ru-only (citizenship: stored data)
    "SU": "СССР",  # i18n: ru-only (citizenship: stored data)
    "US": "США",  # i18n: ru-only (citizenship: stored data)
}
REQUIRED = gettext_lazy("Обязательное поле не заполнено.")
_HUNDREDTH = Decimal("0.01")
_AUTHOR_RE = re.compile(r"(?P<name>.+?)\s*\((?P<coefficient>[^()]*?)\s*%?\s*\)")
_COUNTRY_RE = re.compile(r"\((\w{2})\)\s*$")
_TAG_RE = re.compile(r"<[^>]*>")


@dataclass
class Row:
    number: int
    rid: Rid
    names: list[tuple[c.PersonName, Decimal, str]] = field(default_factory=list)  # name, coefficient, citizenship
    authors: list[tuple[Slot, Decimal]] = field(default_factory=list)  # after matching
    # a registration already granted (FIPS): the protection document to create with the RID (``protection.imports``)
    document: dict[str, Any] | None = None


class Parser:
    format: str
    known: list[str]
    required: list[str]
    author_column: str
    registration_column = ""  # the column of the state registration number, if the format has one
    other_columns_are_errors = True  # False: columns the format does not read are named in a warning
    field_columns: dict[str, str]  # a RID field → the column named in its messages

    def __init__(self, header: list[str], organization: Organization, user: Any) -> None:
        keys = [c.header_key(h) for h in header]
        self.position = {col: keys.index(c.header_key(col)) for col in self.known if c.header_key(col) in keys}
        self.organization = organization
        self.user_id = user.pk if user is not None else None
        self.today = timezone.localdate()

    def text(self, values: list[Value], column: str) -> str:
        i = self.position.get(column)
        value = values[i] if i is not None and i < len(values) else ""
        return f"{value:%d.%m.%Y}" if isinstance(value, date) else value

    def date(
        self, values: list[Value], column: str, problems: list[Problem], row: int, hint: StrOrPromise
    ) -> date | None:
        i = self.position.get(column)
        raw = values[i] if i is not None and i < len(values) else ""
        if raw == "":
            return None
        parsed = c.parse_date(raw)
        if parsed is None:
            problems.append(
                Problem(
                    row, column, _("Дата «%(value)s» не распознана: нужен вид %(hint)s.") % {"value": raw, "hint": hint}
                )
            )
        return parsed

    def parse(self, number: int, values: list[Value], problems: list[Problem], warnings: list[Problem]) -> Row:
        raise NotImplementedError


class OwnParser(Parser):
    format = OWN
    known = c.OWN_COLUMNS
    required = c.OWN_REQUIRED
    author_column = c.AUTHORS
    field_columns = {
        "title": c.TITLE,
        "other_subtype": c.KIND,
        "okpd2": c.OKPD2,
        "ipc_codes": c.IPC,
        "publication_date": c.PUBLICATION_DATE,
        "keywords": c.KEYWORDS,
        "funding_other": c.FUNDING,
    }

    def __init__(self, header: list[str], organization: Organization, user: Any) -> None:
        super().__init__(header, organization, user)
        self.kinds = c.choice_lookup(RidKind)
        self.origins = c.choice_lookup(Origin)
        self.fundings = c.choice_lookup(FundingKind)
        self.divisions: dict[str, set[int]] = defaultdict(set)
        subtree = Organization.objects.filter(pk__in=descendant_ids({organization.pk}))
        for pk, short, name in subtree.values_list("pk", "short_name", "name"):
            self.divisions[short.casefold()].add(pk)
            self.divisions[name.casefold()].add(pk)

    def choice(
        self, values: list[Value], column: str, lookup: dict[str, str], default: str, problems: list[Problem], row: int
    ) -> str:
        raw = self.text(values, column)
        if not raw:
            return default
        code = lookup.get(raw.casefold())
        if code is None:
            allowed = ", ".join(dict.fromkeys(k for k in lookup if not k.isascii()))
            problems.append(
                Problem(
                    row,
                    column,
                    (_("Неизвестное значение «%(raw)s»: допустимо %(allowed)s.") % {"raw": raw, "allowed": allowed}),
                )
            )
            return default
        return code

    def flag(self, values: list[Value], column: str, problems: list[Problem], row: int) -> bool:
        raw = self.text(values, column)
        parsed = c.parse_bool(raw)
        if parsed is None:
            message = _("Ожидается «%(yes)s» или «%(no)s», а не «%(value)s».") % {
                "yes": c.YES,
                "no": c.NO,
                "value": raw,
            }
            problems.append(Problem(row, column, message))
        return bool(parsed)

    def kind(self, values: list[Value], problems: list[Problem], row: int) -> tuple[str, str]:
        """«изобретение», or «иной РИД: топология ИМС» (the kind of other RID after a colon)."""
        text = self.text(values, c.KIND)
        label, _colon, subtype = text.partition(":")
        kind = self.kinds.get(label.strip().casefold()) if text else ""
        if kind is None:
            with translation.override("ru"):  # what the file may say
                labels = ", ".join(str(lbl) for lbl in RidKind.labels)
            problems.append(
                Problem(
                    row,
                    c.KIND,
                    (_("Неизвестный вид РИД «%(text)s»: допустимы %(labels)s.") % {"text": text, "labels": labels}),
                )
            )
            return "", ""
        return kind, subtype.strip()

    def division(self, values: list[Value], problems: list[Problem], row: int) -> int:
        division = self.text(values, c.DIVISION)
        if not division:
            return int(self.organization.pk)
        found = self.divisions.get(division.casefold(), set())
        if len(found) == 1:
            return next(iter(found))
        if not found:
            message = _("Подразделение «%(division)s» не найдено в организации «%(organization)s».")
        else:
            message = _("Подразделение «%(division)s» неоднозначно (таких несколько) в организации «%(organization)s».")
        problems.append(Problem(row, c.DIVISION, message % {"division": division, "organization": self.organization}))
        return int(self.organization.pk)

    def parse(self, number: int, values: list[Value], problems: list[Problem], warnings: list[Problem]) -> Row:
        for column in c.OWN_REQUIRED:
            if not self.text(values, column):
                problems.append(Problem(number, column, str(REQUIRED)))
        kind, subtype = self.kind(values, problems, number)
        rid = new_rid(
            number=self.text(values, c.NUMBER),
            kind=kind,
            other_subtype=subtype,
            title=self.text(values, c.TITLE),
            organization_id=self.division(values, problems, number),
            status=RidStatus.DRAFT,
            created_by_id=self.user_id,
            origin=self.choice(values, c.ORIGIN, self.origins, Origin.SERVICE, problems, number),
            funding_kind=self.choice(values, c.FUNDING, self.fundings, FundingKind.NONE, problems, number),
            keywords=c.split_list(self.text(values, c.KEYWORDS)),
            okpd2=self.text(values, c.OKPD2),
            ipc_codes=c.split_list(self.text(values, c.IPC)),
            published=self.flag(values, c.PUBLISHED, problems, number),
            publication_date=self.date(values, c.PUBLICATION_DATE, problems, number, _("ДД.ММ.ГГГГ")),
            trade_secret=self.flag(values, c.TRADE_SECRET, problems, number),
        )
        row = Row(number, rid)
        for item in (p.strip() for p in self.text(values, c.AUTHORS).split(";")):
            if not item:
                continue
            name, coefficient, written = _own_author(item)
            if name is None:
                problems.append(
                    Problem(
                        number,
                        c.AUTHORS,
                        _("Автор «%(author)s» записан неверно: нужен вид «Фамилия И. О. (50 %%)».") % {"author": item},
                    )
                )
                continue
            if coefficient is None:
                message = _("Коэффициент участия «%(value)s» — не число.") % {"value": written}
                problems.append(Problem(number, c.AUTHORS, message))
                continue
            row.names.append((name, coefficient, ""))
        return row


@lru_cache(maxsize=100_000)  # a registry names each person many times, mostly with the same share
def _own_author(item: str) -> tuple[c.PersonName | None, Decimal | None, str]:
    """«Иванов П. С. (60 %)» → the name (None: not written as a name with a share), the coefficient (None: not a
    number) and the coefficient as written."""
    match = _AUTHOR_RE.fullmatch(item)
    name = c.parse_person_name(match["name"]) if match else None
    if match is None or name is None:
        return None, None, ""
    return name, c.parse_coefficient(match["coefficient"]), match["coefficient"]


REGISTRATION_MAX = 50  # Rid.state_registration_number
DATE_HINT = gettext_lazy("ГГГГММДД")


@dataclass(frozen=True)
class Registration:
    """What every FIPS open registry says of a registration: its number, dates and title."""

    number: str
    registered: date | None
    applied: date | None
    title: str


class FipsRegistryParser(Parser):
    """The FIPS open registries (programs, and the patents below): a registration a row, kept as an accepted RID
    with the registration number as its state registration; the authors one per line as «Косарева Ю.А. (RU)»."""

    kind: str
    title_column: str
    holders_column: str
    author_column = c.FIPS_AUTHORS
    registration_column = c.FIPS_NUMBER

    def registration(self, number: int, values: list[Value], problems: list[Problem]) -> Registration:
        for column in (c.FIPS_NUMBER, c.FIPS_DATE):
            if not self.text(values, column):
                problems.append(Problem(number, column, str(REQUIRED)))
        registered = self.date(values, c.FIPS_DATE, problems, number, DATE_HINT)
        if (msg := v.past_date_error(registered, _("Дата регистрации"), self.today)) is not None:
            problems.append(Problem(number, c.FIPS_DATE, msg))
        applied = self.date(values, c.FIPS_APPLICATION_DATE, problems, number, DATE_HINT)
        registration = self.text(values, c.FIPS_NUMBER)
        if len(registration) > REGISTRATION_MAX:
            message = _("Номер регистрации длиннее %(max)s символов.") % {"max": REGISTRATION_MAX}
            problems.append(Problem(number, c.FIPS_NUMBER, message))
        title = " ".join(_TAG_RE.sub(" ", html.unescape(self.text(values, self.title_column))).split())
        return Registration(registration, registered, applied, title)

    def accepted_rid(self, registration: Registration, **fields: Any) -> Rid:
        """The RID of a registration: protected since the registration date, learned of on the application date; a
        row without a title gets «Без наименования (№ …)» and is flagged for review."""
        title = registration.title
        reasons = []
        if not title:
            title = f"Без наименования (рег. № {registration.number})"  # i18n: ru-only (stored title)
            reasons.append("В файле нет наименования.")  # i18n: ru-only (stored review reason)
        return new_rid(
            number="",
            state_registration_number=registration.number,
            kind=self.kind,
            title=title,
            needs_review=bool(reasons),
            review_reasons=reasons,
            organization_id=self.organization.pk,
            status=RidStatus.PROTECTED,
            created_by_id=self.user_id,
            origin=Origin.SERVICE,
            funding_kind=FundingKind.NONE,
            accepted_on=registration.registered,
            received_on=registration.applied,
            learned_on=registration.applied,
            **fields,
        )

    def document(
        self, values: list[Value], registration: Registration, document: str, holders_column: str, holders: str
    ) -> list[str]:
        """The sources' first sentences: «Свидетельство … № N от … (заявка № M от …).» and the holders."""
        text = f"{document} № {registration.number}"
        if registration.registered:
            text += f" от {registration.registered:%d.%m.%Y}"  # i18n: ru-only (stored publication sources)
        if application := self.text(values, c.FIPS_APPLICATION_NUMBER):
            applied = registration.applied
            text += f" (заявка № {application}"  # i18n: ru-only (stored publication sources)
            text += f" от {applied:%d.%m.%Y})" if applied else ")"  # i18n: ru-only (stored publication sources)
        parts = [text + "."]
        names = [" ".join(h.split()) for h in self.text(values, holders_column).splitlines() if h.strip()]
        if names:
            parts.append(f"{holders}: {'; '.join(names)}.")
        return parts

    def row(
        self,
        number: int,
        rid: Rid,
        values: list[Value],
        problems: list[Problem],
        warnings: list[Problem],
        expires: date | None = None,
    ) -> Row:
        """The row of the RID: its authors with equal shares, its protection document; a registration no longer in
        force is said. An author who is not a name (one word, initials only) is left out and one named twice is
        taken once: the RID is flagged for review with the reason."""
        row = Row(number, rid)
        actual = c.parse_bool(self.text(values, c.FIPS_ACTUAL))
        if actual is False:
            warnings.append(Problem(number, c.FIPS_ACTUAL, _("Регистрация не действует (actual = false).")))
        row.document = {
            "number": rid.state_registration_number,
            "application_number": self.text(values, c.FIPS_APPLICATION_NUMBER)[:50],
            "filing_date": rid.received_on,
            "granted_on": rid.accepted_on,
            "published_on": rid.publication_date,
            "actual": actual,
            "expires": expires,
            "holders": [" ".join(h.split()) for h in self.text(values, self.holders_column).splitlines() if h.strip()],
        }
        authors = self.text(values, c.FIPS_AUTHORS)
        if not authors:
            warnings.append(Problem(number, c.FIPS_AUTHORS, _("Авторы не указаны: РИД импортирован без авторов.")))
        names: list[tuple[c.PersonName, str]] = []
        seen: set[tuple[tuple[str, str, str], tuple[str, str]]] = set()
        reasons = rid.review_reasons
        for line in author_lines(authors):
            name = c.parse_person_name(line)
            if name is None:
                reason = (
                    f"Автор «{line}» записан не как фамилия и имя (одним словом или инициалами): не импортирован, "
                    "проверьте авторов."  # i18n: ru-only (stored review reason)
                )
                reasons.append(reason)
                warnings.append(Problem(number, c.FIPS_AUTHORS, reason))
                continue
            if (name.key, name.full) in seen:
                reason = f"Автор {name.short()} указан в строке дважды: учтён один раз."  # i18n: ru-only (stored review reason)
                reasons.append(reason)
                warnings.append(Problem(number, c.FIPS_AUTHORS, reason))
                continue
            seen.add((name.key, name.full))
            country = _COUNTRY_RE.search(line)
            code = country[1] if country else "RU"
            names.append((name, COUNTRIES.get(code, code)))
        shares = equal_shares(len(names))
        row.names = [(name, share, country) for (name, country), share in zip(names, shares, strict=True)]
        rid.needs_review = bool(reasons)
        return row


class FipsParser(FipsRegistryParser):
    holders_column = c.FIPS_HOLDERS
    format = FIPS
    kind = RidKind.SOFTWARE
    title_column = c.FIPS_TITLE
    known = c.FIPS_COLUMNS
    required = c.FIPS_REQUIRED
    field_columns = {
        "title": c.FIPS_TITLE,
        "publication_date": c.FIPS_PUBLISH_DATE,
        "learned_on": c.FIPS_APPLICATION_DATE,
        "accepted_on": c.FIPS_DATE,
    }

    def parse(self, number: int, values: list[Value], problems: list[Problem], warnings: list[Problem]) -> Row:
        registration = self.registration(number, values, problems)
        published = self.date(values, c.FIPS_PUBLISH_DATE, problems, number, DATE_HINT)
        rid = self.accepted_rid(
            registration,
            published=published is not None,
            publication_date=published,
            publication_sources=self.sources(values, registration, published),
        )
        return self.row(number, rid, values, problems, warnings)

    def sources(self, values: list[Value], registration: Registration, published: date | None) -> str:
        document = "Свидетельство о государственной регистрации программы для ЭВМ"  # i18n: ru-only (stored publication sources)
        holders = "Правообладатели"  # i18n: ru-only (stored publication sources)
        parts = self.document(values, registration, document, c.FIPS_HOLDERS, holders)
        if published:
            bulletin = self.text(values, c.FIPS_PUBLISH_NUMBER)
            parts.append(
                "Официальный бюллетень Роспатента «Программы для ЭВМ. Базы данных. Топологии интегральных "
                f"микросхем»{f' № {bulletin}' if bulletin else ''} от {published:%d.%m.%Y}."  # i18n: ru-only (stored publication sources)
            )
        if url := self.text(values, c.FIPS_URL):
            parts.append(url)
        return " ".join(parts)


_IPC_DATE_RE = re.compile(r"\(\d{4}\.\d{2}\)")  # «G01N 33/00 (2006.01)»: the version of the classification


def ipc_codes(text: str) -> tuple[list[str], list[str]]:
    """The IPC codes of a FIPS «mpk» cell («G01N 33/00 (2006.01), G06F17/00»): well-formed ones as «G01N 33/00»,
    and the cells that are not codes."""
    good: list[str] = []
    bad: list[str] = []
    for part in re.split(r"[,;\n]+", _IPC_DATE_RE.sub(" ", text)):
        code = " ".join(part.split())
        if not code:
            continue
        compact = re.sub(r"^([A-H]\d{2}[A-Z])\s*", r"\1 ", code)
        (good if v.IPC_RE.fullmatch(compact) else bad).append(compact)
    return list(dict.fromkeys(good)), bad


class PatentParser(FipsRegistryParser):
    """The FIPS open registries of inventions, utility models and industrial designs: one patent a row, a RID of the
    registry's kind. Their many other columns (priorities, PCT, EA, Crimean applications, names in Latin) are not
    read: a warning names them."""

    holders_column = c.PATENT_HOLDERS
    document_name: str  # «патент на изобретение»
    classification_column: str
    other_columns_are_errors = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.known = [*c.PATENT_COLUMNS, cls.title_column, cls.classification_column]
        cls.required = [c.FIPS_NUMBER, c.FIPS_DATE, c.FIPS_AUTHORS, cls.title_column]

    def __init__(self, header: list[str], organization: Organization, user: Any) -> None:
        super().__init__(header, organization, user)
        self.field_columns = {
            "title": self.title_column,
            "publication_date": c.PATENT_APPLICATION_PUBLISH_DATE,
            "learned_on": c.FIPS_APPLICATION_DATE,
            "accepted_on": c.FIPS_DATE,
            "ipc_codes": self.classification_column,
        }

    def parse(self, number: int, values: list[Value], problems: list[Problem], warnings: list[Problem]) -> Row:
        registration = self.registration(number, values, problems)
        application_published = self.date(values, c.PATENT_APPLICATION_PUBLISH_DATE, problems, number, DATE_HINT)
        grant_published = self.date(values, c.PATENT_GRANT_PUBLISH_DATE, problems, number, DATE_HINT)
        expires = self.date(values, c.PATENT_EXPIRATION, problems, number, DATE_HINT)
        published = min((d for d in (application_published, grant_published) if d), default=None)
        classification = self.text(values, self.classification_column)
        codes: list[str] = []
        if self.kind == RidKind.INVENTION and classification:
            codes, bad = ipc_codes(classification)
            if bad:
                message = _("Не коды МПК, не импортированы: %(codes)s.") % {"codes": ", ".join(bad)}
                warnings.append(Problem(number, self.classification_column, message))
        rid = self.accepted_rid(
            registration,
            ipc_codes=codes,
            published=published is not None,
            publication_date=published,
            publication_sources=self.sources(values, registration, expires),
        )
        return self.row(number, rid, values, problems, warnings, expires)

    def sources(self, values: list[Value], registration: Registration, expires: date | None) -> str:
        document = f"{self.document_name[:1].upper()}{self.document_name[1:]}"
        holders = "Патентообладатели"  # i18n: ru-only (stored publication sources)
        parts = self.document(values, registration, document, c.PATENT_HOLDERS, holders)
        if expires:
            parts.append(f"Срок действия истекает {expires:%d.%m.%Y}.")  # i18n: ru-only (stored publication sources)
        if self.kind == RidKind.INDUSTRIAL_DESIGN:
            bulletin_name = "Промышленные образцы"  # i18n: ru-only (stored publication sources)
        else:
            bulletin_name = "Изобретения. Полезные модели"  # i18n: ru-only (stored publication sources)
        application, patent = "заявки", "патента"  # i18n: ru-only (stored publication sources)
        for what, date_column, number_column in (
            (application, c.PATENT_APPLICATION_PUBLISH_DATE, c.PATENT_APPLICATION_PUBLISH_NUMBER),
            (patent, c.PATENT_GRANT_PUBLISH_DATE, c.PATENT_GRANT_PUBLISH_NUMBER),
        ):
            raw = self.text(values, date_column)
            if day := c.parse_date(raw) if raw else None:
                bulletin = self.text(values, number_column)
                parts.append(
                    f"Публикация {what}: бюллетень «{bulletin_name}»{f' № {bulletin}' if bulletin else ''} "
                    f"от {day:%d.%m.%Y}."  # i18n: ru-only (stored publication sources)
                )
        if self.kind != RidKind.INVENTION and (classification := self.text(values, self.classification_column)):
            ipc = self.classification_column == c.IPC_COLUMN
            label = "МПК" if ipc else "МКПО"  # i18n: ru-only (stored publication sources)
            parts.append(f"{label}: {' '.join(classification.split())}.")
        if url := self.text(values, c.FIPS_URL):
            parts.append(url)
        return " ".join(parts)


class InventionParser(PatentParser):
    format = FIPS_INVENTIONS
    kind = RidKind.INVENTION
    document_name = "патент на изобретение"  # i18n: ru-only (stored publication sources)
    title_column = c.INVENTION_TITLE
    classification_column = c.IPC_COLUMN


class UtilityModelParser(PatentParser):
    format = FIPS_UTILITY_MODELS
    kind = RidKind.UTILITY_MODEL
    document_name = "патент на полезную модель"  # i18n: ru-only (stored publication sources)
    title_column = c.UTILITY_MODEL_TITLE
    classification_column = c.IPC_COLUMN


class IndustrialDesignParser(PatentParser):
    format = FIPS_INDUSTRIAL_DESIGNS
    kind = RidKind.INDUSTRIAL_DESIGN
    document_name = "патент на промышленный образец"  # i18n: ru-only (stored publication sources)
    title_column = c.INDUSTRIAL_DESIGN_TITLE
    classification_column = c.LOCARNO_COLUMN


PATENT_PARSERS: list[type[PatentParser]] = [InventionParser, UtilityModelParser, IndustrialDesignParser]


def new_rid(**values: Any) -> Rid:
    """An unsaved RID: the fields' defaults and ``values`` (by attname) set directly, as ``Model.__init__`` would
    leave them (it walks every field through its descriptor: the slowest part of reading a row)."""
    template, mutable = _rid_template()
    rid = Rid.__new__(Rid)
    rid._state = ModelState()
    data = rid.__dict__
    data.update(template)
    for name in mutable:
        data[name] = type(template[name])()  # a list or dict of its own
    data.update(values)
    return rid


@lru_cache(maxsize=1)
def _rid_template() -> tuple[dict[str, Any], list[str]]:
    fields = Rid._meta.concrete_fields
    template = {f.attname: f.get_default() for f in fields}
    return template, [name for name, value in template.items() if isinstance(value, list | dict)]


def author_lines(text: str) -> list[str]:
    """One author per line; a country code alone on a line («(RU)») belongs to the line before."""
    lines: list[str] = []
    for raw in text.splitlines():
        line = " ".join(raw.replace("\u00a0", " ").split())
        if not line:
            continue
        if lines and re.fullmatch(r"\(\w{2}\)", line):
            lines[-1] += f" {line}"
        else:
            lines.append(line)
    return lines


def equal_shares(count: int) -> list[Decimal]:
    """Equal coefficients summing to exactly 100.00: the remainder goes one hundredth each to the first ones."""
    if count == 0:
        return []
    cents, remainder = divmod(10000, count)
    return [Decimal(cents + (1 if i < remainder else 0)) * _HUNDREDTH for i in range(count)]


# --- the header -------------------------------------------------------------------------------------------------

OWN_KEYS = {c.header_key(h) for h in c.OWN_COLUMNS}
FIPS_KEYS = {c.header_key(h) for h in c.FIPS_COLUMNS}
PATENT_KEYS = {c.header_key(h) for p in PATENT_PARSERS for h in p.known}


def _quoted(names: list[str]) -> str:
    return ", ".join(f"«{n}»" for n in names)


def ignored_columns(parser: type[Parser], header: list[str]) -> list[str]:
    """The columns of the file that ``parser`` does not read."""
    known = {c.header_key(h) for h in parser.known}
    return [h for h in header if c.header_key(h) and c.header_key(h) not in known]


def detect_format(header: list[str]) -> tuple[type[Parser] | None, list[Problem]]:
    """Our export or a FIPS registry, by the header; problems name the missing, unknown (where the format reads
    every column), repeated and unnamed columns."""
    keys = [c.header_key(h) for h in header]
    present = set(keys) - {""}
    parser: type[Parser]
    fips_markers = {c.header_key(c.FIPS_NUMBER), c.header_key(c.FIPS_TITLE)}
    patents = [p for p in PATENT_PARSERS if c.header_key(p.title_column) in present]
    if len(patents) == 1:
        parser = patents[0]
    elif present & fips_markers and len(present & FIPS_KEYS) >= len(present & OWN_KEYS):
        parser = FipsParser
    elif present & OWN_KEYS:
        parser = OwnParser
    else:
        shown = _quoted([h for h in header if h]) or _("пусто")
        message = _(
            "Формат файла не распознан: нужна выгрузка реестра РИД (столбцы «%(kind)s», «%(title)s», …) или открытый "
            "реестр ФИПС: программ для ЭВМ (столбцы «registration number», «program name», …), изобретений "
            "(«invention name»), полезных моделей («utility model name») или промышленных образцов "
            "(«industrial design name»). В заголовке файла: %(header)s."
        ) % {"kind": c.KIND, "title": c.TITLE, "header": shown}
        return None, [Problem(None, "", message)]
    known = {c.header_key(h) for h in parser.known}
    problems = []
    missing = [col for col in parser.required if c.header_key(col) not in present]
    if missing:
        problems.append(Problem(None, "", (_("Нет обязательных столбцов: %(quoted)s.") % {"quoted": _quoted(missing)})))
    strict = parser.other_columns_are_errors  # else the importer names the others in a warning (``ignored_columns``)
    unknown = [h for h, k in zip(header, keys, strict=True) if k and k not in known]
    if unknown and strict:
        problems.append(
            Problem(
                None,
                "",
                (
                    _("Неизвестные столбцы: %(quoted)s. Переименуйте или удалите их; допустимые столбцы: %(quoted2)s.")
                    % {"quoted": _quoted(unknown), "quoted2": _quoted(parser.known)}
                ),
            )
        )
    repeated = [
        h for i, (h, k) in enumerate(zip(header, keys, strict=True)) if k and k in keys[:i] and (strict or k in known)
    ]
    if repeated:
        problems.append(Problem(None, "", (_("Столбцы повторяются: %(quoted)s.") % {"quoted": _quoted(repeated)})))
    unnamed = [get_column_letter(i + 1) for i, k in enumerate(keys) if not k]
    if unnamed and strict:
        problems.append(
            Problem(
                None, "", (_("У столбцов %(list)s нет названия в строке заголовка.") % {"list": ", ".join(unnamed)})
            )
        )
    return parser, problems
