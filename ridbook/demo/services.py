"""Loads the demo data idempotently: running it twice changes nothing the second time."""

from __future__ import annotations

from django.db import transaction

from ridbook.accounts.models import RoleAssignment, User
from ridbook.audit.context import acting_as
from ridbook.demo.data import DEMO_PASSWORD, ORGANIZATIONS, USERS
from ridbook.organizations.models import Organization


@transaction.atomic
def demo_load() -> dict[str, int]:
    created = {"organizations": 0, "users": 0, "roles": 0, "rids": 0, "commissions": 0}
    by_key: dict[str, Organization] = {}
    with acting_as("команда load_demo"):
        for key, parent_key, kind, short, full, country, policy, inn, ogrn in ORGANIZATIONS:
            parent = by_key[parent_key] if parent_key else None
            org, was_created = Organization.objects.get_or_create(
                parent=parent,
                short_name=short,
                defaults={
                    "name": full,
                    "kind": kind,
                    "country": country,
                    "policy_name": policy,
                    "inn": inn,
                    "ogrn": ogrn,
                },
            )
            if was_created:
                org.full_clean()
            by_key[key] = org
            created["organizations"] += was_created
        for login, last, first, middle, role, org_key in USERS:
            user = User.objects.filter(username=login).first()
            if user is None:
                user = User(
                    username=login,
                    last_name=last,
                    first_name=first,
                    middle_name=middle,
                    email=f"{login}@example.org",
                )
                user.set_password(DEMO_PASSWORD)
                user.save()
                created["users"] += 1
            _, was_created = RoleAssignment.objects.get_or_create(user=user, organization=by_key[org_key], role=role)
            created["roles"] += was_created
    from ridbook.demo.registry_demo import demo_rids

    created["rids"] = demo_rids()
    from ridbook.demo.commission_demo import demo_commission

    created["commissions"] = demo_commission()
    from ridbook.demo.tradesecret_demo import demo_trade_secret  # issue 14: a know-how under the regime

    created["rids"] += demo_trade_secret()
    return created
