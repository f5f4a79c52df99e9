from __future__ import annotations

from collections.abc import Collection
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models

from ridbook.accounts.roles import Role
from ridbook.audit.models import AuditedManager, AuditedModel


class UserManager(DjangoUserManager["User"], AuditedManager["User"]):
    """``create_user`` and the rest, with bulk writes journaled like every audited model's."""


class User(AuditedModel, AbstractUser):
    """Пользователь системы. ФИО полностью — для документов; роли — в :class:`RoleAssignment`."""

    audit_exclude = ("password", "last_login", "email")  # e-mail is personal data: not copied into the log

    middle_name = models.CharField("отчество", max_length=150, blank=True)

    objects: ClassVar[UserManager] = UserManager()

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = "пользователь"
        verbose_name_plural = "пользователи"

    def audit_organization_id(self) -> int | None:
        """A user belongs to the organization of his first role (none before his first role: such records are read
        by superusers only)."""
        if self.pk is None:
            return None
        return self.role_assignments.order_by("id").values_list("organization_id", flat=True).first()

    @property
    def full_name(self) -> str:
        parts = [self.last_name, self.first_name, self.middle_name]
        return " ".join(p for p in parts if p) or self.username

    @classmethod
    def audit_names(cls, ids: Collection[Any]) -> dict[Any, str]:
        rows = cls._default_manager.filter(pk__in=ids).values_list("pk", "last_name", "first_name", "middle_name")
        return {pk: " ".join(p for p in parts if p) or f"пользователь № {pk}" for pk, *parts in rows}

    def __str__(self) -> str:
        return self.full_name


class RoleAssignment(AuditedModel):
    user = models.ForeignKey(
        User, verbose_name="пользователь", on_delete=models.CASCADE, related_name="role_assignments"
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name="организация",
        on_delete=models.PROTECT,
        related_name="role_assignments",
    )
    role = models.CharField("роль", max_length=30, choices=Role.choices)

    class Meta:
        verbose_name = "назначение роли"
        verbose_name_plural = "назначения ролей"
        constraints = [
            models.UniqueConstraint(fields=["user", "organization", "role"], name="unique_role_assignment"),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_role_display()} — {self.organization}"
