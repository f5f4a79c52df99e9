"""Numbered copies of a trade-secret RID (UZ app. 3 §9: the IP department makes copies only as needed, in a limited
number, and keeps the journal of access to the RID and its copies). A copy is numbered 1…n within its regime, never
renumbered or reused; it is issued to a user on the access list or to a named person on a recorded basis (an order of
the head, a transfer contract), then returned or destroyed — each step with its date and who recorded it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ridbook.audit.models import AuditedModel
from ridbook.tradesecret.choices import CopyState, StorageMedium


class Copy(AuditedModel):
    """Экземпляр (копия) РИД, составляющего коммерческую тайну."""

    audit_organization_path = "regime__organization"

    regime = models.ForeignKey(
        "tradesecret.Regime", verbose_name=_("режим"), on_delete=models.PROTECT, related_name="copies"
    )
    number = models.PositiveIntegerField(_("номер экземпляра"))
    made_on = models.DateField(_("изготовлен"))
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("изготовил"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("выдан (пользователь из списка допуска)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_to_name = models.CharField(_("выдан (лицо не из списка допуска)"), max_length=300, blank=True)
    basis = models.CharField(_("основание выдачи"), max_length=300, blank=True)
    use_order = models.ForeignKey(
        "tradesecret.UseOrder",
        verbose_name=_("распоряжение об использовании"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="copies",
    )
    contract = models.ForeignKey(
        "tradesecret.TransferContract",
        verbose_name=_("договор о передаче"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="copies",
    )
    medium = models.CharField(_("носитель"), max_length=20, choices=StorageMedium.choices)
    purpose = models.CharField(_("цель"), max_length=300)
    state = models.CharField(_("состояние"), max_length=20, choices=CopyState.choices, default=CopyState.ISSUED)
    returned_on = models.DateField(_("возвращён"), null=True, blank=True)
    returned_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("возврат записал"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    destroyed_on = models.DateField(_("уничтожен"), null=True, blank=True)
    destroyed_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("уничтожение записал"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    destruction_note = models.CharField(_("акт (способ) уничтожения"), max_length=300, blank=True)

    class Meta:
        ordering = ["regime", "number"]
        verbose_name = _("экземпляр РИД")
        verbose_name_plural = _("экземпляры РИД")
        constraints = [models.UniqueConstraint(fields=["regime", "number"], name="tradesecret_copy_number")]

    def __str__(self) -> str:
        return _("Экземпляр № %(number)s") % {"number": self.number}

    @property
    def holder_label(self) -> str:
        """To whom the copy was issued, in words."""
        if self.issued_to_id is not None and self.issued_to is not None:
            return getattr(self.issued_to, "full_name", "") or self.issued_to.get_username()
        return self.issued_to_name
