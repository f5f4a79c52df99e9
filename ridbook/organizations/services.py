"""Writes for organizations. Each function checks the permission, validates, and saves atomically."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ridbook.accounts.permissions import Action, forget_roles, require, require_target
from ridbook.audit.context import acting_as
from ridbook.core.errors import PermissionDeniedError
from ridbook.organizations.models import Organization

EDITABLE_FIELDS = (
    "name",
    "short_name",
    "kind",
    "parent",
    "country",
    "policy_name",
    "inn",
    "ogrn",
    "is_active",
)


def _validated_save(org: Organization) -> Organization:
    try:
        org.full_clean()
    except ValidationError as exc:
        from ridbook.core.errors import DomainError

        raise DomainError(
            _("Организация не сохранена: ") + "; ".join(f"{m}" for msgs in exc.message_dict.values() for m in msgs),
            code="invalid",
            details={"fields": exc.message_dict},
        ) from None
    org.save()
    return org


def organization_create(*, actor: Any, parent: Organization | None = None, **fields: Any) -> Organization:
    require_target(actor, Action.ORGANIZATION_MANAGE, parent)
    if parent is None and not actor.is_superuser:
        raise PermissionDeniedError(_("Новое дерево организаций может создать только суперпользователь."))
    if fields.get("policy_name"):
        require(actor, Action.POLICY_ASSIGN, parent)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown organization fields: {sorted(unknown)}")
    with transaction.atomic(), acting_as(actor):
        org = _validated_save(Organization(parent=parent, **fields))
    forget_roles(actor)  # the tree below the actor's roles changed: his cached subtrees are stale
    return org


def organization_update(*, actor: Any, organization: Organization, **fields: Any) -> Organization:
    require(actor, Action.ORGANIZATION_MANAGE, organization)
    if "parent" in fields and fields["parent"] != organization.parent:
        # the new parent is a target: the actor manages it too (a tree is never hung under another's)
        if fields["parent"] is None and not actor.is_superuser:
            raise PermissionDeniedError(_("Сделать организацию вершиной дерева может только суперпользователь."))
        require_target(actor, Action.ORGANIZATION_MANAGE, fields["parent"])
    if "policy_name" in fields and fields["policy_name"] != organization.policy_name:
        require(actor, Action.POLICY_ASSIGN, organization)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown organization fields: {sorted(unknown)}")
    with transaction.atomic(), acting_as(actor):
        org = Organization.objects.select_for_update().get(pk=organization.pk)
        for name, value in fields.items():
            setattr(org, name, value)
        org = _validated_save(org)
    forget_roles(actor)  # the tree may have changed: the actor's cached subtrees are stale
    return org
