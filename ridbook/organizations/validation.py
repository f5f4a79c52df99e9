"""Rules for an organization record, shared by forms, the API and services."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.ru import inn as stdnum_inn
from stdnum.ru import ogrn as stdnum_ogrn

if TYPE_CHECKING:
    from ridbook.organizations.models import Organization


def inn_error(value: str) -> str | None:
    """Проверка ИНН (10 цифр у юридического лица, 12 у физического) по контрольным цифрам."""
    if not value:
        return None
    try:
        stdnum_inn.validate(value)
    except StdnumError:
        return _("ИНН %(value)s неверен: должно быть 10 или 12 цифр с верными контрольными цифрами.") % {"value": value}
    return None


def ogrn_error(value: str) -> str | None:
    if not value:
        return None
    try:
        stdnum_ogrn.validate(value)
    except StdnumError:
        return _("ОГРН %(value)s неверен: должно быть 13 (ОГРНИП — 15) цифр с верной контрольной цифрой.") % {
            "value": value
        }
    return None


def validate_organization(org: Organization) -> dict[str, str]:
    from ridbook.policies.loader import available_policies

    errors: dict[str, str] = {}
    if (msg := inn_error(org.inn)) is not None:
        errors["inn"] = msg
    if (msg := ogrn_error(org.ogrn)) is not None:
        errors["ogrn"] = msg
    if org.policy_name:
        names = sorted({p.name for p in available_policies()})
        if org.policy_name not in names:
            errors["policy_name"] = _("Политика «%(policy)s» не найдена (доступны: %(names)s).") % {
                "policy": org.policy_name,
                "names": ", ".join(names),
            }
    elif org.parent_id is None:
        errors["policy_name"] = _("У организации верхнего уровня должна быть указана политика.")
    if org.parent_id is not None and org.pk is not None:
        node = org.parent
        while node is not None:
            if node.pk == org.pk:
                errors["parent"] = _("Организация не может входить сама в себя (цикл в дереве).")
                break
            node = node.parent
    if org.parent is not None and org.parent.country != org.country:
        errors["country"] = _("Страна подразделения должна совпадать со страной вышестоящей организации.")
    return errors
