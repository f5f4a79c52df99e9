"""Factories and fixed personas for tests: one user per role in a small organization tree."""

from __future__ import annotations

from typing import Any, cast

import factory

from ridbook.accounts.models import RoleAssignment, User
from ridbook.accounts.roles import Role
from ridbook.organizations.models import Organization

PASSWORD = "test-password-1"


class OrganizationFactory(factory.django.DjangoModelFactory[Organization]):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Организация {n}")
    short_name = factory.Sequence(lambda n: f"Орг-{n}")
    kind = "university"
    country = "RU"
    policy_name = factory.LazyAttribute(lambda o: "" if o.parent else "vgtu")
    parent = None


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    last_name = "Тестов"
    first_name = factory.Sequence(lambda n: f"Имя{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @classmethod
    def _after_postgeneration(cls, instance: User, create: bool, results: Any = None) -> None:
        if create:
            instance.save()


def persona(role: Role, organization: Organization, username: str | None = None) -> User:
    user = cast(User, UserFactory(username=username or role.value))
    RoleAssignment.objects.create(user=user, organization=organization, role=role)
    return user
