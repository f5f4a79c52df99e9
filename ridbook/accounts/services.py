"""Writes for users and roles."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from ridbook.accounts.models import RoleAssignment, User
from ridbook.accounts.permissions import Action, forget_roles, require
from ridbook.accounts.roles import Role
from ridbook.audit.context import acting_as
from ridbook.core.errors import DomainError


def role_assign(*, actor: Any, user: User, organization: Any, role: Role | str) -> RoleAssignment:
    require(actor, Action.ROLE_ASSIGN, organization)
    if role not in Role.values:
        raise DomainError(f"Неизвестная роль: {role}.", code="invalid")
    try:
        with transaction.atomic(), acting_as(actor):
            assignment = RoleAssignment.objects.create(user=user, organization=organization, role=role)
    except IntegrityError:
        raise DomainError(
            f"У пользователя {user} уже есть роль «{Role(role).label}» в организации «{organization}».",
            code="duplicate",
        ) from None
    forget_roles(user)
    return assignment


def role_revoke(*, actor: Any, assignment: RoleAssignment) -> None:
    require(actor, Action.ROLE_ASSIGN, assignment.organization)
    with transaction.atomic(), acting_as(actor):
        assignment.delete()
    forget_roles(assignment.user)
