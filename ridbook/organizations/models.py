"""Организации: дерево (холдинг → дочерние общества → подразделения; университет → институты → кафедры)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from ridbook.audit.models import AuditedModel


class Country(models.TextChoices):
    RU = "RU", _("Россия")
    UZ = "UZ", _("Узбекистан")


class OrganizationKind(models.TextChoices):
    HOLDING = "holding", _("холдинг")
    COMPANY = "company", _("общество (юридическое лицо)")
    UNIVERSITY = "university", _("университет")
    RESEARCH_INSTITUTE = "research_institute", _("научно-исследовательский институт")
    INSTITUTE = "institute", _("институт / школа (подразделение)")
    DEPARTMENT = "department", _("кафедра / отдел")
    DIVISION = "division", _("подразделение")


LEGAL_ENTITY_KINDS = {
    OrganizationKind.HOLDING,
    OrganizationKind.COMPANY,
    OrganizationKind.UNIVERSITY,
    OrganizationKind.RESEARCH_INSTITUTE,
}


class Organization(AuditedModel):
    audit_organization_path = "self"

    name = models.CharField(_("полное наименование"), max_length=300)
    short_name = models.CharField(_("краткое наименование"), max_length=100)
    kind = models.CharField(_("вид"), max_length=30, choices=OrganizationKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("входит в"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    country = models.CharField(_("страна"), max_length=2, choices=Country.choices, default=Country.RU)
    policy_name = models.CharField(
        _("политика"),
        max_length=50,
        blank=True,
        help_text=_("Пусто — действует политика вышестоящей организации."),
    )
    inn = models.CharField(_("ИНН"), max_length=12, blank=True)
    ogrn = models.CharField(_("ОГРН"), max_length=15, blank=True)
    is_active = models.BooleanField(_("действует"), default=True)

    class Meta:
        ordering = ["short_name"]
        verbose_name = _("организация")
        verbose_name_plural = _("организации")
        constraints = [
            models.UniqueConstraint(fields=["parent", "short_name"], name="org_unique_short_name_in_parent"),
        ]

    def __str__(self) -> str:
        return self.short_name

    @classmethod
    def audit_names(cls, ids: Collection[Any]) -> dict[Any, str]:
        return dict(cls._default_manager.filter(pk__in=ids).values_list("pk", "short_name"))

    @property
    def is_legal_entity(self) -> bool:
        return self.kind in LEGAL_ENTITY_KINDS

    def clean(self) -> None:
        from ridbook.organizations.validation import validate_organization

        errors = validate_organization(self)
        if errors:
            raise ValidationError(errors)
