from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ridbook.accounts.roles import Role
from ridbook.audit.models import AuditedManager, AuditedModel


class UserManager(DjangoUserManager["User"], AuditedManager["User"]):
    """``create_user`` and the rest, with bulk writes journaled like every audited model's."""


class User(AuditedModel, AbstractUser):
    """Пользователь системы. ФИО полностью — для документов; роли — в :class:`RoleAssignment`."""

    audit_exclude = ("password", "last_login", "email")  # e-mail is personal data: not copied into the log

    middle_name = models.CharField(_("отчество"), max_length=150, blank=True)
    invited_at = models.DateTimeField(_("приглашение отправлено"), null=True, blank=True, editable=False)

    objects: ClassVar[UserManager] = UserManager()
    first_organization_id: int | None = None  # not a field: see audit_organization_id

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("пользователь")  # type: ignore[assignment]
        verbose_name_plural = _("пользователи")  # type: ignore[assignment]

    def audit_organization_id(self) -> int | None:
        """A user belongs to the organization of his first role; while he is being created with it, to the one the
        creating service names (``first_organization_id``). Otherwise none: such records are read by superusers only."""
        if self.pk is None:
            return None
        first = self.role_assignments.order_by("id").values_list("organization_id", flat=True).first()
        return first if first is not None else self.first_organization_id

    @property
    def full_name(self) -> str:
        parts = [self.last_name, self.first_name, self.middle_name]
        return " ".join(p for p in parts if p) or self.username

    @classmethod
    def audit_names(cls, ids: Collection[Any]) -> dict[Any, str]:
        rows = cls._default_manager.filter(pk__in=ids).values_list("pk", "last_name", "first_name", "middle_name")
        return {
            pk: " ".join(p for p in parts if p) or gettext("пользователь № %(pk)s") % {"pk": pk} for pk, *parts in rows
        }

    def __str__(self) -> str:
        return self.full_name


def in_force_q(on: date | None = None, prefix: str = "") -> models.Q:
    """Assignments in force on ``on`` (today): started, and not ended before it."""
    day = on or timezone.localdate()
    return models.Q(**{f"{prefix}valid_from__lte": day}) & (
        models.Q(**{f"{prefix}valid_until__isnull": True}) | models.Q(**{f"{prefix}valid_until__gte": day})
    )


class RoleAssignment(AuditedModel):
    user = models.ForeignKey(
        User, verbose_name=_("пользователь"), on_delete=models.CASCADE, related_name="role_assignments"
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("организация"),
        on_delete=models.PROTECT,
        related_name="role_assignments",
    )
    role = models.CharField(_("роль"), max_length=30, choices=Role.choices)
    valid_from = models.DateField(_("действует с"), default=timezone.localdate)
    valid_until = models.DateField(_("действует по"), null=True, blank=True, help_text=_("последний день роли"))

    class Meta:
        verbose_name = _("назначение роли")
        verbose_name_plural = _("назначения ролей")
        constraints = [
            # an ended role stays (history); one open-ended assignment of a role per user and organization
            models.UniqueConstraint(
                fields=["user", "organization", "role"],
                condition=models.Q(valid_until__isnull=True),
                name="unique_open_role_assignment",
            ),
        ]

    def in_force(self, on: date | None = None) -> bool:
        day = on or timezone.localdate()
        return self.valid_from <= day and (self.valid_until is None or self.valid_until >= day)

    def __str__(self) -> str:
        return f"{self.user}: {self.get_role_display()} — {self.organization}"
