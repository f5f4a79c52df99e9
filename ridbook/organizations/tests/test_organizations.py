from __future__ import annotations

import pytest

from ridbook.accounts.roles import Role
from ridbook.core.errors import DomainError, PermissionDeniedError
from ridbook.organizations.models import Organization
from ridbook.organizations.selectors import organization_policy
from ridbook.organizations.services import organization_create, organization_update

pytestmark = pytest.mark.django_db


def test_divisions_inherit_the_policy_of_the_organization_above(org_tree):
    assert organization_policy(org_tree["department"]).ref == organization_policy(org_tree["university"]).ref
    assert organization_policy(org_tree["department"]).ref.startswith("vgtu@")
    assert organization_policy(org_tree["holding"]).ref.startswith("rzd-2013@")


def test_inn_and_ogrn_check_digits(personas, org_tree):
    admin = personas[Role.ADMINISTRATOR]
    with pytest.raises(DomainError) as exc:
        organization_update(actor=admin, organization=org_tree["university"], inn="7708503728", ogrn="1037739877294")
    assert "ИНН 7708503728 неверен" in exc.value.message
    assert "ОГРН 1037739877294 неверен" in exc.value.message
    stored = Organization.objects.get(pk=org_tree["university"].pk)
    assert stored.inn == "" and stored.ogrn == ""
    # ОАО «РЖД»: public ИНН and ОГРН with correct check digits
    organization_update(actor=admin, organization=org_tree["university"], inn="7708503727", ogrn="1037739877295")
    assert Organization.objects.get(pk=org_tree["university"].pk).inn == "7708503727"


def test_unknown_policy_and_missing_top_level_policy(personas, org_tree):
    admin = personas[Role.ADMINISTRATOR]
    with pytest.raises(DomainError, match="Политика «mipt» не найдена"):
        organization_update(actor=admin, organization=org_tree["university"], policy_name="mipt")
    with pytest.raises(DomainError, match="верхнего уровня должна быть указана политика"):
        organization_update(actor=admin, organization=org_tree["university"], policy_name="")


def test_country_must_match_the_parent_and_the_tree_has_no_cycles(personas, org_tree):
    admin = personas[Role.ADMINISTRATOR]
    with pytest.raises(DomainError, match="Страна подразделения"):
        organization_create(
            actor=admin,
            parent=org_tree["university"],
            name="Филиал",
            short_name="Филиал",
            kind="division",
            country="UZ",
        )
    with pytest.raises(DomainError, match="цикл"):
        organization_update(actor=admin, organization=org_tree["university"], parent=org_tree["department"])
    assert Organization.objects.get(pk=org_tree["university"].pk).parent is None


def test_only_an_administrator_of_that_tree_may_change_it(personas, org_tree):
    with pytest.raises(PermissionDeniedError):
        organization_update(actor=personas[Role.IP_OFFICER], organization=org_tree["institute"], name="X")
    with pytest.raises(PermissionDeniedError):
        organization_update(actor=personas[Role.ADMINISTRATOR], organization=org_tree["holding"], name="X")
    assert Organization.objects.get(pk=org_tree["institute"].pk).name != "X"
