"""The access list of a regime (UZ app. 3 §7, §9): who may read the RID's content, from when to when, on whose
approval. A person's grant is never edited away: removal closes it with a date and an approver."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ridbook.audit.models import AuditedModel


class AccessGrant(AuditedModel):
    """Допуск одного пользователя к РИД по списку допуска."""

    audit_organization_path = "regime__organization"

    regime = models.ForeignKey(
        "tradesecret.Regime", verbose_name=_("режим"), on_delete=models.PROTECT, related_name="grants"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("пользователь"), on_delete=models.PROTECT, related_name="+"
    )
    added_on = models.DateField(_("допущен с"))
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("допуск утвердил"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    removed_on = models.DateField(_("допуск прекращён"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("прекращение утвердил"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.CharField(_("основание"), max_length=300, blank=True)

    class Meta:
        ordering = ["added_on", "id"]
        verbose_name = _("допуск к коммерческой тайне")
        verbose_name_plural = _("список допуска")
        indexes = [models.Index(fields=["regime", "user"])]

    def __str__(self) -> str:
        return f"{self.user} → {self.regime}"
