"""The yearly inventory of trade-secret RIDs (UZ app. 3 §10–13): at least once a year, by the place of creation,
storage and use, closed with an act that goes to the ministry by 15 December. One inventory per legal entity and
year; an entry per regime of its organizations. The closed act is stored as it was made (DOCX), with the changes it
lists since the previous closed act and the snapshot the next one is compared with."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ridbook.audit.models import AuditedModel
from ridbook.tradesecret.choices import InventoryResult


class Inventory(AuditedModel):
    """Учёт (инвентаризация) РИД, охраняемых в режиме коммерческой тайны, за год."""

    organization = models.ForeignKey(
        "organizations.Organization", verbose_name=_("организация"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("год"))
    started_on = models.DateField(_("начат"))
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("начал"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_on = models.DateField(_("акт составлен"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("акт составил"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    act_number = models.CharField(_("номер акта"), max_length=50, blank=True)
    act_docx = models.FileField(_("акт (DOCX)"), upload_to="tradesecret/acts/", blank=True)
    changes = models.JSONField(_("изменения с прошлого акта"), default=dict, blank=True)
    snapshot = models.JSONField(_("состояние на дату акта"), default=dict, blank=True)

    class Meta:
        ordering = ["-year", "organization"]
        verbose_name = _("учёт РИД в режиме коммерческой тайны")
        verbose_name_plural = _("учёт РИД в режиме коммерческой тайны")
        constraints = [models.UniqueConstraint(fields=["organization", "year"], name="tradesecret_inventory_year")]

    def __str__(self) -> str:
        return _("Учёт за %(year)s год: %(organization)s") % {"year": self.year, "organization": self.organization}

    @property
    def is_closed(self) -> bool:
        return self.closed_on is not None


class InventoryEntry(AuditedModel):
    """Строка учёта: один РИД, где создан, хранится, используется, и что найдено."""

    audit_organization_path = "inventory__organization"

    inventory = models.ForeignKey(Inventory, verbose_name=_("учёт"), on_delete=models.CASCADE, related_name="entries")
    regime = models.ForeignKey(
        "tradesecret.Regime", verbose_name=_("режим"), on_delete=models.PROTECT, related_name="inventory_entries"
    )
    creation_place = models.CharField(_("место создания"), max_length=300, blank=True)
    storage_place = models.CharField(_("место хранения"), max_length=300, blank=True)
    use_place = models.CharField(_("место использования (применения)"), max_length=300, blank=True)
    result = models.CharField(
        _("результат проверки"), max_length=20, choices=InventoryResult.choices, default=InventoryResult.PENDING
    )
    note = models.CharField(_("примечание"), max_length=500, blank=True)
    checked_on = models.DateField(_("проверено"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("проверил"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["inventory", "id"]
        verbose_name = _("строка учёта")
        verbose_name_plural = _("строки учёта")
        constraints = [models.UniqueConstraint(fields=["inventory", "regime"], name="tradesecret_inventory_regime")]

    def __str__(self) -> str:
        return f"{self.inventory}: {self.regime_id}"
