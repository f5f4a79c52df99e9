"""Rules of the notice of creation (TPU appendix 2; SPEC §3) as plain functions returning Russian messages.

Each function returns ``{field: message}`` (empty when all is well); forms, the API and services share them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.ru import inn as stdnum_inn

from ridbook.organizations.validation import ogrn_error  # noqa: F401 (the customer's ОГРН: one rule)
from ridbook.registry.choices import ExportControlConclusion, RidKind, StateSecretOutcome

ABSTRACT_MAX = 900
KEYWORDS_MIN, KEYWORDS_MAX = 1, 5
OKPD2_RE = re.compile(r"^\d{2}\.\d{2}\.\d{2}\.\d{3}$")
# МПК: раздел A–H, класс 2 цифры, подкласс буква, группа 1–4 цифры / подгруппа 2–6 цифр, e.g. «G06F 17/30».
IPC_RE = re.compile(r"^[A-H]\d{2}[A-Z] ?\d{1,4}/\d{2,6}$")
HUNDRED = Decimal("100")


def snils_is_valid(value: str) -> bool:
    """СНИЛС: 11 цифр, последние две — контрольное число (ПФР; проверяется для номеров больше 001-001-998)."""
    digits = re.sub(r"[\s-]", "", value)
    if not re.fullmatch(r"\d{11}", digits):
        return False
    number, check = digits[:9], int(digits[9:])
    if int(number) <= 1001998:
        return True
    total = sum(int(d) * (9 - i) for i, d in enumerate(number))
    expected = total % 101
    if expected == 100:
        expected = 0
    return expected == check


def snils_normalize(value: str) -> str:
    digits = re.sub(r"[\s-]", "", value)
    return f"{digits[:3]}-{digits[3:6]}-{digits[6:9]} {digits[9:]}" if len(digits) == 11 else value


def snils_error(value: str) -> str | None:
    if value and not snils_is_valid(value):
        return _("СНИЛС %(value)s неверен: должно быть 11 цифр с верным контрольным числом.") % {"value": value}
    return None


def person_inn_error(value: str) -> str | None:
    if not value:
        return None
    try:
        stdnum_inn.validate(value)
    except StdnumError:
        return _("ИНН %(value)s неверен: у физического лица 12 цифр с верными контрольными цифрами.") % {"value": value}
    if len(stdnum_inn.compact(value)) != 12:
        return _("ИНН %(value)s — это ИНН организации; у физического лица ИНН из 12 цифр.") % {"value": value}
    return None


def coefficients_error(coefficients: Iterable[Decimal | str | int]) -> str | None:
    values = []
    for c in coefficients:
        try:
            values.append(Decimal(str(c)))
        except InvalidOperation:
            return _("Коэффициент участия «%(value)s» — не число.") % {"value": c}
    if not values:
        return _("Укажите хотя бы одного автора.")
    if any(v <= 0 or v > HUNDRED for v in values):
        return _("Коэффициент участия каждого автора должен быть больше 0 и не больше 100 %.")
    total = sum(values, Decimal(0))
    if total != HUNDRED:
        return _("Сумма коэффициентов участия авторов должна быть ровно 100 %%, сейчас %(total)s %%.") % {
            "total": f"{total.normalize():f}"
        }
    return None


def abstract_error(text: str) -> str | None:
    if len(text) > ABSTRACT_MAX:
        return _("Реферат не должен превышать %(max)s символов, сейчас %(count)s.") % {
            "max": ABSTRACT_MAX,
            "count": len(text),
        }
    return None


def keywords_error(keywords: Sequence[str]) -> str | None:
    clean = [k.strip() for k in keywords if k.strip()]
    if not KEYWORDS_MIN <= len(clean) <= KEYWORDS_MAX:
        return _("Укажите от %(min)s до %(max)s ключевых слов, сейчас %(count)s.") % {
            "min": KEYWORDS_MIN,
            "max": KEYWORDS_MAX,
            "count": len(clean),
        }
    return None


def okpd2_error(code: str) -> str | None:
    if code and not OKPD2_RE.fullmatch(code.strip()):
        return _("Код ОКПД2 «%(code)s» должен быть одной подкатегорией вида XX.XX.XX.XXX, например 62.01.11.000.") % {
            "code": code
        }
    return None


def ipc_error(codes: Sequence[str], kind: str) -> str | None:
    if not codes:
        return None
    if kind != RidKind.INVENTION:
        return _("Коды МПК указываются только для изобретений.")
    bad = [c for c in codes if not IPC_RE.fullmatch(c.strip())]
    if bad:
        return _(
            "Код МПК %(list)s записан неверно: нужен вид «G06F 17/30» (раздел, класс, подкласс, группа/подгруппа)."
        ) % {"list": ", ".join(bad)}
    return None


def past_date_error(value: date | None, label: str, today: date) -> str | None:
    if value is not None and value > today:
        return _("%(label)s не может быть в будущем (%(value)s).") % {"label": label, "value": f"{value:%d.%m.%Y}"}
    return None


def publication_error(published: bool, publication_date: date | None, sources: str) -> dict[str, str]:
    errors = {}
    if published and publication_date is None:
        errors["publication_date"] = _(
            "РИД опубликован: укажите дату первой публикации (от неё считается льготный срок)."
        )
    if published and not sources.strip():
        errors["publication_sources"] = _("РИД опубликован: укажите источники публикации.")
    return errors


def filing_blockers(*, state_secret_outcome: str | None, export_conclusion: str | None) -> list[str]:
    """Why the RID cannot move to filing (SPEC §3): either document missing or negative."""
    reasons = []
    if state_secret_outcome is None:
        reasons.append(_("нет заключения о возможности открытого опубликования"))
    elif state_secret_outcome != StateSecretOutcome.NO_SECRET_PUBLISHABLE:
        reasons.append(
            _("заключение о возможности открытого опубликования отрицательное: %(label)s")
            % {"label": StateSecretOutcome(state_secret_outcome).label}
        )
    if export_conclusion is None:
        reasons.append(_("нет акта экспертизы экспортного контроля"))
    elif export_conclusion != ExportControlConclusion.NO_PERMITS:
        reasons.append(
            _("акт экспортного контроля: %(label)s") % {"label": ExportControlConclusion(export_conclusion).label}
        )
    return reasons
