"""Документы реестра в формате DOCX, сформированные из данных РИД.

Three documents (``DOCUMENT_KINDS``):

- ``notice`` — уведомление о создании РИД (TPU appendix 2: fields 1–17 and the authors table of field 18, with
  signature lines); a RID with ``trade_secret`` is marked «КОММЕРЧЕСКАЯ ТАЙНА» at the top of the first page (the
  other two documents carry the same mark: they describe the same object); a RID whose trade-secret regime
  restricts gets the full marking instead (the holder's name and address, on the title page and in every header);
- ``state_secret`` — заключение о возможности открытого опубликования (TPU form), from ``rid.state_secret``;
- ``export_control`` — акт экспертизы в целях экспортного контроля (TPU form), from ``rid.export_control``: all six
  control lists with the checked ones marked ☒, the outcome and the conclusion.

``render_document(rid=..., kind=...)`` returns the .docx bytes. It gathers the data into a context of plain strings
(dates as ДД.ММ.ГГГГ, choices as their Russian labels, empty values as «—») and renders a template with docxtpl
(Jinja tags inside Word) in a sandboxed, autoescaping Jinja environment. Missing data (no authors, no conclusion or
act recorded yet) raises ``DomainError`` with a Russian message. The caller checks that the user may see the RID
(``selectors.rids_visible_to``); this module does not.

Templates editable by the organization
--------------------------------------
The packaged templates live in ``ridbook/registry/document_templates/`` and are built by ``build_templates.py``
there (edit the script and rerun it; do not edit the .docx by hand). An organization uses its own version of a form
by putting a .docx with the same file name (``DOCUMENT_KINDS[kind].file_name``) into

    MEDIA_ROOT/document_templates/<organization id>/<file name>      e.g. media/document_templates/12/notice.docx

``render_document`` takes the template of the RID's organization, else of the nearest organization above it, else
the packaged default (``template_path`` tells which one). Start from a copy of the packaged file: it shows every
variable. The variables (all strings unless noted):

- every document: ``rid_number``/``number`` (the notice: ``number`` is the RID's number), ``title``,
  ``kind_label``, ``legal_entity_name``, ``organization_name``, ``is_trade_secret`` (bool), ``authors`` (list of
  dicts: ``number full_name short_name birth_date citizenship workplace position address phone email basis inn
  snils hours period coefficient contribution degree researcher_id scopus_id orcid``);
- ``notice``: ``origin_genitive``, ``received_on``, ``purpose``, ``funding_kind``, ``funding_agreement_number``,
  ``funding_agreement_date``, ``internal_project_number``, ``is_initiative`` (bool), ``employer_resources_used``,
  ``initiative_agreement``, ``rnd_title``, ``rnd_leader``, ``rnd_registration_number``, ``customer_full_name``,
  ``customer_short_name``, ``customer_founder``, ``customer_ogrn``, ``customer_okopf``, ``rights_allocation``,
  ``keywords``, ``abstract``, ``uses``, ``prototypes_count``, ``useful_life_years``, ``core_facility_used``,
  ``core_facility_name``, ``okpd2``, ``grnti_codes``, ``oecd_code``, ``ipc_codes``, ``state_secret_number``,
  ``state_secret_date``, ``state_secret_outcome``, ``export_control_number``, ``export_control_date``,
  ``export_control_conclusion``, ``trade_secret``, ``published``, ``publication_date``, ``publication_sources``;
- ``state_secret``: ``number``, ``date``, ``object_genitive``, ``authors`` (a string here: «Иванов П.С., …»),
  ``commission`` (list of lines), ``review_start``, ``review_end``, ``subject``, ``possibility``, ``finding``,
  ``outcome``, ``outcome_code``;
- ``export_control``: ``number``, ``date``, ``object_nominative``, ``description``, ``control_lists`` /
  ``outcomes`` / ``conclusions`` (lists of dicts ``mark number title|text checked``), ``outcome``, ``outcome_code``,
  ``outcome_details``, ``conclusion``, ``conclusion_code``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple
from zipfile import BadZipFile

from django.conf import settings
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from docx.opc.exceptions import PackageNotFoundError
from docxtpl import DocxTemplate
from jinja2 import TemplateError
from jinja2.sandbox import SandboxedEnvironment

from ridbook.accounts.personal_data import PersonalDataAccess, PersonalField, personal_data_access
from ridbook.core.errors import DomainError
from ridbook.organizations.models import Organization
from ridbook.organizations.selectors import ancestors
from ridbook.registry.choices import (
    CONTROL_LISTS,
    ExportControlConclusion,
    ExportControlOutcome,
    FundingKind,
    InitiativeAgreement,
    InvolvementBasis,
    Origin,
    RidKind,
    RightsAllocation,
    StateSecretOutcome,
)
from ridbook.registry.models import Authorship, ExportControlAct, Person, Rid, StateSecretConclusion

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PACKAGED_DIR = Path(__file__).resolve().parent / "document_templates"
OVERRIDES_SUBDIR = "document_templates"
DASH = "—"
CHECKED, UNCHECKED = "☒", "☐"


class DocumentKind(NamedTuple):
    title: StrOrPromise
    file_name: str


DOCUMENT_KINDS: dict[str, DocumentKind] = {
    "notice": DocumentKind(gettext_lazy("Уведомление о создании РИД"), "notice.docx"),
    "state_secret": DocumentKind(
        gettext_lazy("Заключение о возможности открытого опубликования"), "state_secret_conclusion.docx"
    ),
    "export_control": DocumentKind(
        gettext_lazy("Акт экспертизы в целях экспортного контроля"), "export_control_act.docx"
    ),
}

# The six control lists in the wording of the TPU act (the codes are those of choices.CONTROL_LISTS).
CONTROL_LIST_TITLES: dict[str, str] = {
    "chemical_1284": (
        "Список химикатов, оборудования и технологий, которые могут быть использованы при создании химического "
        "оружия и в отношении которых установлен экспортный контроль, утвержденный постановлением Правительства "
        "Российской Федерации от 16 июля 2022 г. № 1284"  # i18n: ru-only (Russian document)
    ),
    "nuclear_1285": (
        "Список ядерных материалов, оборудования, специальных неядерных материалов и соответствующих технологий, "
        "подпадающих под экспортный контроль, утвержденный постановлением Правительства Российской Федерации "
        "от 16 июля 2022 г. № 1285"  # i18n: ru-only (Russian document)
    ),
    "dual_use_nuclear_1286": (
        "Список оборудования и материалов двойного назначения и соответствующих технологий, применяемых в ядерных "
        "целях, в отношении которых осуществляется экспортный контроль, утвержденный постановлением Правительства "
        "Российской Федерации от 16 июля 2022 г. № 1286"  # i18n: ru-only (Russian document)
    ),
    "microorganisms_1287": (
        "Список микроорганизмов, токсинов, оборудования и технологий, подлежащих экспортному контролю, "
        "утвержденный постановлением Правительства Российской Федерации от 16 июля 2022 г. № 1287"  # i18n: ru-only (Russian document)
    ),
    "missiles_1288": (
        "Список оборудования, материалов и технологий, которые могут быть использованы при создании ракетного "
        "оружия и в отношении которых установлен экспортный контроль, утвержденный постановлением Правительства "
        "Российской Федерации от 16 июля 2022 г. № 1288"  # i18n: ru-only (Russian document)
    ),
    "dual_use_1299": (
        "Список товаров и технологий двойного назначения, которые могут быть использованы при создании вооружений "
        "и военной техники и в отношении которых осуществляется экспортный контроль, утвержденный постановлением "
        "Правительства Российской Федерации от 19 июля 2022 г. № 1299"  # i18n: ru-only (Russian document)
    ),
}
assert list(CONTROL_LIST_TITLES) == [code for code, _ in CONTROL_LISTS], "control lists out of step with choices"

_SIMILARITY = "Сходство с Контрольными Списками по названию, ключевым словам, техническим параметрам и характеристикам"  # i18n: ru-only (Russian document)
EXPORT_OUTCOME_TEXTS: dict[str, str] = {
    ExportControlOutcome.NO_SIMILARITY: f"{_SIMILARITY} не обнаружено.",  # i18n: ru-only (Russian document)
    ExportControlOutcome.SIMILAR_NOT_MATCHING: (
        f"{_SIMILARITY} обнаружено, но объект не соответствует Контрольным Спискам товаров и технологий "
        "(сходство и причины несоответствия указаны ниже)."  # i18n: ru-only (Russian document)
    ),
    ExportControlOutcome.SIMILARITY_FOUND: f"{_SIMILARITY} обнаружено (сходство с пунктами списков указано ниже).",  # i18n: ru-only (Russian document)
}
EXPORT_CONCLUSION_TEXTS: dict[str, str] = {
    ExportControlConclusion.NO_PERMITS: (
        "Не требуется получение разрешительных документов, предусмотренных законодательством РФ в области "
        "экспортного контроля."  # i18n: ru-only (Russian document)
    ),
    ExportControlConclusion.PERMITS_NEEDED: (
        "Требуется получение разрешительных документов, предусмотренных законодательством РФ в области экспортного "
        "контроля."  # i18n: ru-only (Russian document)
    ),
}

_LAW = (
    "Перечня сведений, составляющих государственную тайну (статья 5 Закона Российской Федерации «О государственной "
    "тайне»), {relation} к Перечню сведений, отнесенных к государственной тайне, утвержденному Указом Президента "
    "Российской Федерации от 30 ноября 1995 г. № 1203"  # i18n: ru-only (Russian document)
)
# outcome → (subject «на предмет …», possibility «и … их открытого опубликования», the finding of the commission)
STATE_SECRET_TEXTS: dict[str, tuple[str, str, str]] = {
    StateSecretOutcome.NO_SECRET_PUBLISHABLE: (
        "отсутствия",  # i18n: ru-only (Russian document)
        "возможности",  # i18n: ru-only (Russian document)
        "Сведения, содержащиеся в рассматриваемых материалах заявки, не подпадают под действие "  # i18n: ru-only (Russian document)
        + _LAW.format(relation="не относятся")  # i18n: ru-only (Russian document)
        + ", не подлежат засекречиванию, и данные материалы могут быть открыто опубликованы.",  # i18n: ru-only (Russian document)
    ),
    StateSecretOutcome.NO_SECRET_NOT_PUBLISHABLE: (
        "отсутствия",  # i18n: ru-only (Russian document)
        "невозможности",  # i18n: ru-only (Russian document)
        "Сведения, содержащиеся в рассматриваемых материалах заявки, не подпадают под действие "  # i18n: ru-only (Russian document)
        + _LAW.format(relation="не относятся")  # i18n: ru-only (Russian document)
        + ", не подлежат засекречиванию, однако данные материалы не могут быть открыто опубликованы.",  # i18n: ru-only (Russian document)
    ),
    StateSecretOutcome.CONTAINS_SECRET: (
        "наличия",  # i18n: ru-only (Russian document)
        "невозможности",  # i18n: ru-only (Russian document)
        "Сведения, содержащиеся в рассматриваемых материалах заявки, подпадают под действие "  # i18n: ru-only (Russian document)
        + _LAW.format(relation="относятся")  # i18n: ru-only (Russian document)
        + ", подлежат засекречиванию, и данные материалы не могут быть открыто опубликованы.",  # i18n: ru-only (Russian document)
    ),
}

# «материалов заявки на …» (accusative of the kind) — the object of the conclusion and of the act.
_APPLICATION_FOR: dict[str, str] = {
    RidKind.INVENTION: "изобретение",  # i18n: ru-only (Russian document)
    RidKind.UTILITY_MODEL: "полезную модель",  # i18n: ru-only (Russian document)
    RidKind.INDUSTRIAL_DESIGN: "промышленный образец",  # i18n: ru-only (Russian document)
    RidKind.SOFTWARE: "программу для ЭВМ",  # i18n: ru-only (Russian document)
    RidKind.DATABASE: "базу данных",  # i18n: ru-only (Russian document)
}


# --- formatting ---------------------------------------------------------------------------------------------------

_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # not allowed in Word XML (keeps \t and \n)


def show(value: object) -> str:
    """A value as printed in a document: ДД.ММ.ГГГГ, «да»/«нет», 33,5 — and «—» when empty."""
    if value is None:
        return DASH
    if isinstance(value, bool):
        return "да" if value else "нет"  # i18n: ru-only (Russian document)
    if isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, date):
        return f"{value:%d.%m.%Y}"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}".replace(".", ",")
    if isinstance(value, list | tuple):
        return ", ".join(text for item in value if (text := _clean(str(item)))) or DASH
    return _clean(str(value)) or DASH


def _clean(text: str) -> str:
    return _CONTROL_CHARS.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()


def _label(choices: type[models.TextChoices], value: str) -> str:
    if not value:
        return DASH
    try:
        with translation.override("ru"):  # the document is Russian whatever the reader's language
            return str(choices(value).label)
    except ValueError:
        return show(value)


def _capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


# --- context ------------------------------------------------------------------------------------------------------


def _legal_entity(organization: Organization) -> Organization:
    chain = ancestors(organization)
    return next((org for org in chain if org.is_legal_entity), chain[-1])


def _workplace(person: Person) -> str:
    if person.workplace.strip():
        return show(person.workplace)
    if person.organization is None:
        return DASH
    chain = ancestors(person.organization)
    legal = _legal_entity(person.organization)
    below = chain[: chain.index(legal)]
    return ", ".join([legal.name, *(org.short_name for org in reversed(below))])


def _period(start: date | None, end: date | None) -> str:
    if start is None and end is None:
        return DASH
    parts = (start and f"с {show(start)}", end and f"по {show(end)}")  # i18n: ru-only (Russian document)
    return " ".join(part for part in parts if part)


HIDDEN = "скрыто"  # i18n: ru-only (Russian document); a personal field the reader of the document may not see (accounts.personal_data)


def _author_row(number: int, authorship: Authorship, access: PersonalDataAccess) -> dict[str, str]:
    person = authorship.person
    basis = _label(InvolvementBasis, authorship.basis)
    if authorship.basis == InvolvementBasis.OTHER and authorship.basis_other.strip():
        basis = f"{basis}: {_clean(authorship.basis_other)}"
    row = {
        "number": f"{number}.",
        "full_name": person.full_name,
        "short_name": person.short_name,
        "birth_date": show(person.birth_date),
        "citizenship": show(person.citizenship),
        "workplace": _workplace(person),
        "position": show(person.position),
        "address": show(person.address),
        "phone": show(person.phone),
        "email": show(person.email),
        "basis": basis,
        "inn": show(person.inn),
        "snils": show(person.snils),
        "hours": f"{authorship.hours} ч" if authorship.hours is not None else DASH,  # i18n: ru-only (Russian document)
        "period": _period(authorship.period_start, authorship.period_end),
        "coefficient": show(authorship.coefficient),
        "contribution": show(authorship.contribution),
        "degree": show(person.degree),
        "researcher_id": show(person.researcher_id),
        "scopus_id": show(person.scopus_id),
        "orcid": show(person.orcid),
    }
    allowed = access.fields(person)
    for field in PersonalField:
        if field.value in row and field not in allowed:
            row[field.value] = HIDDEN
    return row


def _authors(rid: Rid, access: PersonalDataAccess) -> list[dict[str, str]]:
    rows = Authorship.objects.filter(rid=rid).select_related("person__organization").order_by("order", "id")
    return [_author_row(i, a, access) for i, a in enumerate(rows, start=1)]


def _kind_label(rid: Rid) -> str:
    label = _label(RidKind, rid.kind)
    if rid.kind == RidKind.OTHER and rid.other_subtype.strip():
        label = f"{label} ({_clean(rid.other_subtype)})"
    return _capitalized(label)


def _object(rid: Rid) -> str:
    """«материалы заявки на программу для ЭВМ» — the object in the nominative plural (the act's «ОБЪЕКТ:»)."""
    if rid.kind in _APPLICATION_FOR:
        return f"материалы заявки на {_APPLICATION_FOR[rid.kind]}"  # i18n: ru-only (Russian document)
    if rid.kind == RidKind.KNOW_HOW:
        return "материалы о секрете производства (ноу-хау)"  # i18n: ru-only (Russian document)
    subtype = f" ({_clean(rid.other_subtype)})" if rid.other_subtype.strip() else ""
    return f"материалы о результате интеллектуальной деятельности{subtype}"  # i18n: ru-only (Russian document)


def _common(rid: Rid, access: PersonalDataAccess) -> dict[str, Any]:
    legal = _legal_entity(rid.organization)
    return {
        "rid_number": rid.number,
        "number": rid.number,
        "title": show(rid.title),
        "kind_label": _kind_label(rid),
        "legal_entity_name": legal.name,
        "organization_name": rid.organization.name,
        "is_trade_secret": bool(rid.trade_secret),
        "authors": _authors(rid, access),
    }


def _notice_context(rid: Rid, access: PersonalDataAccess) -> dict[str, Any]:
    context = _common(rid, access)
    if not context["authors"]:
        raise DomainError(
            (
                _("Уведомление о создании РИД %(number)s не сформировано: не указаны авторы (п. 18).")
                % {"number": rid.number}
            ),
            code="document_data_missing",
        )
    secret = StateSecretConclusion.objects.filter(rid=rid).first()
    act = ExportControlAct.objects.filter(rid=rid).first()
    funding = _label(FundingKind, rid.funding_kind)
    if rid.funding_kind == FundingKind.OTHER and rid.funding_other.strip():
        funding = f"{funding}: {_clean(rid.funding_other)}"
    context.update(
        {
            "origin_genitive": (
                "инициативного" if rid.origin == Origin.INITIATIVE else "служебного"  # i18n: ru-only (Russian document)
            ),
            "received_on": (
                show(rid.received_on)
                if rid.received_on
                else "«____» ______________ 20___ г."  # i18n: ru-only (Russian document)
            ),
            "purpose": show(rid.purpose),
            "funding_kind": funding,
            "funding_agreement_number": show(rid.funding_agreement_number),
            "funding_agreement_date": show(rid.funding_agreement_date),
            "internal_project_number": show(rid.internal_project_number),
            "is_initiative": rid.origin == Origin.INITIATIVE,
            "employer_resources_used": show(rid.employer_resources_used),
            "initiative_agreement": _label(InitiativeAgreement, rid.initiative_agreement),
            "rnd_title": show(rid.rnd_title),
            "rnd_leader": show(rid.rnd_leader),
            "rnd_registration_number": show(rid.rnd_registration_number),
            "customer_full_name": show(rid.customer_full_name),
            "customer_short_name": show(rid.customer_short_name),
            "customer_founder": show(rid.customer_founder),
            "customer_ogrn": show(rid.customer_ogrn),
            "customer_okopf": show(rid.customer_okopf),
            "rights_allocation": _label(RightsAllocation, rid.rights_allocation),
            "keywords": show(rid.keywords),
            "abstract": show(rid.abstract),
            "uses": show(rid.uses),
            "prototypes_count": show(rid.prototypes_count),
            "useful_life_years": show(rid.useful_life_years),
            "core_facility_used": "Да" if rid.core_facility_used else "Нет",  # i18n: ru-only (Russian document)
            "core_facility_name": show(rid.core_facility_name),
            "okpd2": show(rid.okpd2),
            "grnti_codes": show(rid.grnti_codes),
            "oecd_code": show(rid.oecd_code),
            "ipc_codes": show(rid.ipc_codes),
            "state_secret_number": show(secret.number) if secret else DASH,
            "state_secret_date": show(secret.date) if secret else DASH,
            "state_secret_outcome": _label(StateSecretOutcome, secret.outcome) if secret else DASH,
            "export_control_number": show(act.number) if act else DASH,
            "export_control_date": show(act.date) if act else DASH,
            "export_control_conclusion": _label(ExportControlConclusion, act.conclusion) if act else DASH,
            "trade_secret": "Содержит" if rid.trade_secret else "Не содержит",  # i18n: ru-only (Russian document)
            "published": (
                "Осуществлялась" if rid.published else "Не осуществлялась"  # i18n: ru-only (Russian document)
            ),
            "publication_date": show(rid.publication_date),
            "publication_sources": show(rid.publication_sources),
        }
    )
    return context


def _state_secret_context(rid: Rid, access: PersonalDataAccess) -> dict[str, Any]:
    conclusion = StateSecretConclusion.objects.filter(rid=rid).first()
    if conclusion is None:
        raise DomainError(
            (
                _("Заключение о возможности открытого опубликования для РИД %(number)s ещё не внесено.")
                % {"number": rid.number}
            ),
            code="document_data_missing",
        )
    context = _common(rid, access)
    subject, possibility, finding = STATE_SECRET_TEXTS.get(conclusion.outcome, (DASH, DASH, DASH))
    members = [line for raw in _clean(conclusion.commission).split("\n") if (line := raw.strip(" \t;"))]
    obj = _object(rid)
    context.update(
        {
            "number": show(conclusion.number),
            "date": show(conclusion.date),
            "object_genitive": "материалов" + obj.removeprefix("материалы"),  # i18n: ru-only (Russian document)
            "authors": ", ".join(a["short_name"] for a in context["authors"]) or DASH,
            "commission": members or [DASH],
            "review_start": show(conclusion.review_start),
            "review_end": show(conclusion.review_end),
            "subject": subject,
            "possibility": possibility,
            "finding": finding,
            "outcome": _label(StateSecretOutcome, conclusion.outcome),
            "outcome_code": conclusion.outcome,
        }
    )
    return context


def _export_control_context(rid: Rid, access: PersonalDataAccess) -> dict[str, Any]:
    act = ExportControlAct.objects.filter(rid=rid).first()
    if act is None:
        raise DomainError(
            (
                _("Акт экспертизы в целях экспортного контроля для РИД %(number)s ещё не внесён.")
                % {"number": rid.number}
            ),
            code="document_data_missing",
        )
    context = _common(rid, access)
    checked = set(act.lists_checked)

    def options(texts: dict[str, str], chosen: str) -> list[dict[str, Any]]:
        return [
            {"mark": CHECKED if code == chosen else UNCHECKED, "number": i, "text": text, "checked": code == chosen}
            for i, (code, text) in enumerate(texts.items(), start=1)
        ]

    context.update(
        {
            "number": show(act.number),
            "date": show(act.date),
            "object_nominative": _object(rid),
            "description": show(act.description) if act.description.strip() else show(rid.abstract),
            "control_lists": [
                {
                    "mark": CHECKED if code in checked else UNCHECKED,
                    "number": i,
                    "title": title,
                    "checked": code in checked,
                }
                for i, (code, title) in enumerate(CONTROL_LIST_TITLES.items(), start=1)
            ],
            "outcomes": options(EXPORT_OUTCOME_TEXTS, act.outcome),
            "outcome": _label(ExportControlOutcome, act.outcome),
            "outcome_code": act.outcome,
            "outcome_details": show(act.outcome_details),
            "conclusions": options(EXPORT_CONCLUSION_TEXTS, act.conclusion),
            "conclusion": _label(ExportControlConclusion, act.conclusion),
            "conclusion_code": act.conclusion,
        }
    )
    return context


_CONTEXTS: dict[str, Callable[[Rid, PersonalDataAccess], dict[str, Any]]] = {
    "notice": _notice_context,
    "state_secret": _state_secret_context,
    "export_control": _export_control_context,
}


# --- templates and rendering ------------------------------------------------------------------------------------


def template_path(
    *, organization: Organization, kind: str, organization_template_dir: Path | str | None = None
) -> Path:
    """The template for ``kind``: the organization's own, else the nearest one above it, else the packaged one."""
    file_name = _document_kind(kind).file_name
    base = (
        Path(organization_template_dir)
        if organization_template_dir is not None
        else Path(settings.MEDIA_ROOT) / OVERRIDES_SUBDIR
    )
    for org in ancestors(organization):
        candidate = base / str(org.pk) / file_name
        if candidate.is_file():
            return candidate
    return PACKAGED_DIR / file_name


def download_name(*, rid: Rid, kind: str) -> str:
    """A file name for the download, e.g. «РИД-2025-00001 Уведомление о создании РИД.docx»."""
    return f"{rid.number} {_document_kind(kind).title}.docx"


def _document_kind(kind: str) -> DocumentKind:
    try:
        return DOCUMENT_KINDS[kind]
    except KeyError:
        raise DomainError(
            (_("Неизвестный вид документа: «%(kind)s».") % {"kind": kind}), code="unknown_document"
        ) from None


def render_document(*, rid: Rid, kind: str, viewer: Any, organization_template_dir: Path | str | None = None) -> bytes:
    """The document ``kind`` of ``rid`` as .docx bytes (see the module docstring for templates and overrides).

    ``viewer``: who will read it. The authors' personal fields he may not see (``accounts.personal_data``: the IP
    department sees what filing needs, a person his own) are printed as «скрыто».

    ``organization_template_dir`` replaces ``MEDIA_ROOT/document_templates`` as the root of the organizations'
    own templates.
    """
    _document_kind(kind)
    rid = Rid.objects.select_related("organization").get(pk=rid.pk)  # what is stored, not a stale instance
    context = _CONTEXTS[kind](rid, personal_data_access(viewer))
    regime = _restricting_regime(rid)
    if regime is not None:
        context["is_trade_secret"] = False  # the full marking (holder, address) replaces the template's short mark
    path = template_path(organization=rid.organization, kind=kind, organization_template_dir=organization_template_dir)
    template = DocxTemplate(str(path))
    try:
        template.render(context, jinja_env=SandboxedEnvironment(), autoescape=True)
    except (TemplateError, BadZipFile, PackageNotFoundError, KeyError) as exc:
        raise DomainError(
            (
                _(
                    "Шаблон документа «%(name)s» не удалось заполнить: %(exc)s. Исправьте шаблон организации или удалите его, чтобы использовать стандартный."
                )
                % {"name": path.name, "exc": exc}
            ),
            code="document_template_error",
        ) from exc
    out = BytesIO()
    template.save(out)
    return out.getvalue() if regime is None else _marked(out.getvalue(), regime)


def _restricting_regime(rid: Rid) -> Any:
    """The RID's trade-secret regime while it restricts (its documents carry the full marking), else ``None``."""
    from ridbook.tradesecret.access import regime_of

    return regime_of(rid)


def _marked(data: bytes, regime: Any) -> bytes:
    """«КОММЕРЧЕСКАЯ ТАЙНА. Обладатель: …, адрес: …» on the title page and in every header (UZ app. 3 §9)."""
    from docx import Document

    from ridbook.tradesecret.marking import mark_docx, marking_text

    document = Document(BytesIO(data))
    mark_docx(document, marking_text(regime))
    out = BytesIO()
    document.save(out)
    return out.getvalue()
