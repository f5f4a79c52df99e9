from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from ridbook.organizations.models import Organization
from ridbook.policies.loader import Policy, get_policy


def descendant_ids(org_ids: set[int]) -> set[int]:
    """Ids of the given organizations and all organizations below them (one query per level)."""
    result = set(org_ids)
    frontier = set(org_ids)
    while frontier:
        frontier = set(Organization.objects.filter(parent_id__in=frontier).values_list("id", flat=True)) - result
        result |= frontier
    return result


def ancestors(org: Organization) -> list[Organization]:
    """The organization and those above it, nearest first."""
    chain = []
    node: Organization | None = org
    while node is not None:
        chain.append(node)
        node = node.parent
    return chain


def organization_policy_name(org: Organization) -> str:
    for node in ancestors(org):
        if node.policy_name:
            return node.policy_name
    raise ValueError(_("У организации «%(organization)s» и вышестоящих не указана политика.") % {"organization": org})


def organization_policy(org: Organization, on: object = None) -> Policy:
    """Политика, действующая в организации на дату (по умолчанию — сегодня)."""
    return get_policy(organization_policy_name(org), on=on)  # type: ignore[arg-type]


def organization_tree() -> list[tuple[Organization, int]]:
    """All organizations in tree order with their depth."""
    orgs = list(Organization.objects.all())
    children: dict[int | None, list[Organization]] = {}
    for o in orgs:
        children.setdefault(o.parent_id, []).append(o)
    out: list[tuple[Organization, int]] = []

    def walk(parent: int | None, depth: int) -> None:
        for o in sorted(children.get(parent, []), key=lambda x: x.short_name):
            out.append((o, depth))
            walk(o.pk, depth + 1)

    walk(None, 0)
    return out


def organizations_qs() -> QuerySet[Organization]:
    return Organization.objects.select_related("parent")


def organizations_visible_to(user: Any) -> QuerySet[Organization]:
    """Organizations the user may see (his roles' organizations and below): the only ones a form or an API
    field may name."""
    from ridbook.accounts.permissions import Action, restrict

    return restrict(organizations_qs(), user, Action.ORGANIZATION_VIEW, organization_field="self")
