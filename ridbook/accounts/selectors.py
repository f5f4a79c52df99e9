"""Reads for the users pages and API: whom an administrator manages.

A user is «his» when the user has (or had: the history stays) a role in an organization where the administrator
may assign roles (``ROLE_ASSIGN``, his organization and below). Anyone else is «not found»."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from ridbook.accounts.models import RoleAssignment, User, in_force_q
from ridbook.accounts.permissions import Action, organization_ids_for, restrict
from ridbook.core.errors import DomainError
from ridbook.organizations.models import Organization


def managed_organizations(actor: Any) -> QuerySet[Organization]:
    """Organizations where ``actor`` assigns roles."""
    return restrict(Organization.objects.all(), actor, Action.ROLE_ASSIGN, organization_field="self")


def users_managed_by(actor: Any) -> QuerySet[User]:
    ids = organization_ids_for(actor, Action.ROLE_ASSIGN)
    if ids is None:
        return User.objects.all()
    mine = RoleAssignment.objects.filter(organization_id__in=ids).values("user_id")
    return User.objects.filter(pk__in=mine)


def require_managed(actor: Any, user: User) -> None:
    if not users_managed_by(actor).filter(pk=user.pk).exists():
        raise DomainError(
            _("Пользователь не найден среди пользователей ваших организаций."),
            code="not_found",
            status=404,
            details={"fields": {"user": _("не найден")}},
        )


def assignments_managed_by(actor: Any, user: User) -> QuerySet[RoleAssignment]:
    """``user``'s roles in the organizations ``actor`` manages (roles elsewhere are not his to see)."""
    qs = RoleAssignment.objects.filter(user=user).select_related("organization")
    return restrict(qs, actor, Action.ROLE_ASSIGN).order_by("-valid_from", "role")


def with_managed_roles(users: QuerySet[User], actor: Any) -> QuerySet[User]:
    """Each user's roles in ``actor``'s organizations as ``managed_roles`` (one query for a page of users)."""
    roles = restrict(RoleAssignment.objects.select_related("organization"), actor, Action.ROLE_ASSIGN)
    return users.prefetch_related(
        Prefetch("role_assignments", queryset=roles.order_by("-valid_from", "role"), to_attr="managed_roles")
    )


def search_users(
    actor: Any,
    *,
    q: str = "",
    organization: Organization | None = None,
    role: str = "",
    active: bool | None = None,
) -> QuerySet[User]:
    """The users page and ``GET /api/v1/users/``: filters by organization (and below), role in force, activity."""
    from ridbook.organizations.selectors import descendant_ids

    users = users_managed_by(actor)
    if organization is not None or role:
        assignments = restrict(RoleAssignment.objects.filter(in_force_q()), actor, Action.ROLE_ASSIGN)
        if organization is not None:
            assignments = assignments.filter(organization_id__in=descendant_ids({organization.pk}))
        if role:
            assignments = assignments.filter(role=role)
        users = users.filter(pk__in=assignments.values("user_id"))
    if active is not None:
        users = users.filter(is_active=active)
    for word in q.split():
        users = users.filter(
            Q(last_name__icontains=word)
            | Q(first_name__icontains=word)
            | Q(middle_name__icontains=word)
            | Q(username__icontains=word)
        )
    return users.order_by("last_name", "first_name", "username")
