"""Use and transfer of a trade-secret RID (UZ app. 3 §15–16).

* ``UseOrder`` — «распоряжение руководителя»: every use other than reading by the people of the access list needs an
  order of the head (or the deputy for science and innovation): its number, date, who signed it, what use, until when.
  Every action ridbook offers beyond reading (a copy for a use, a transfer) refers to one.
* ``TransferContract`` — a transfer only under a written contract that binds the receiver to confidentiality: the
  counterparty (its ИНН/ОГРН checked by their check digits), the contract's number and date, its own registration
  number, the confidentiality clause (without it the transfer is refused) and the scope.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ridbook.audit.models import AuditedModel


class UseOrder(AuditedModel):
    """Распоряжение руководителя об использовании РИД, составляющего коммерческую тайну."""

    audit_organization_path = "regime__organization"

    regime = models.ForeignKey(
        "tradesecret.Regime", verbose_name=_("режим"), on_delete=models.PROTECT, related_name="use_orders"
    )
    number = models.CharField(_("номер распоряжения"), max_length=50)
    signed_on = models.DateField(_("дата распоряжения"))
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("подписал"), on_delete=models.PROTECT, related_name="+"
    )
    use = models.CharField(_("вид использования"), max_length=500)
    until = models.DateField(_("действует до"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("внёс"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["regime", "signed_on", "id"]
        verbose_name = _("распоряжение об использовании")
        verbose_name_plural = _("распоряжения об использовании")

    def __str__(self) -> str:
        return _("Распоряжение № %(number)s от %(date)s") % {
            "number": self.number,
            "date": self.signed_on.strftime("%d.%m.%Y"),
        }


class TransferContract(AuditedModel):
    """Договор о передаче РИД, составляющего коммерческую тайну (с обязательством получателя о конфиденциальности)."""

    audit_organization_path = "regime__organization"

    regime = models.ForeignKey(
        "tradesecret.Regime", verbose_name=_("режим"), on_delete=models.PROTECT, related_name="contracts"
    )
    use_order = models.ForeignKey(
        UseOrder, verbose_name=_("распоряжение руководителя"), on_delete=models.PROTECT, related_name="contracts"
    )
    counterparty_name = models.CharField(_("получающая сторона"), max_length=500)
    counterparty_inn = models.CharField(_("ИНН получающей стороны"), max_length=12, blank=True)
    counterparty_ogrn = models.CharField(_("ОГРН получающей стороны"), max_length=15, blank=True)
    number = models.CharField(_("номер договора"), max_length=100)
    signed_on = models.DateField(_("дата договора"))
    registration_number = models.CharField(_("регистрационный номер договора"), max_length=100)
    confidentiality = models.TextField(_("обязательство получающей стороны о конфиденциальности"))
    scope = models.TextField(_("объём и условия передачи"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("внёс"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["regime", "signed_on", "id"]
        verbose_name = _("договор о передаче")
        verbose_name_plural = _("договоры о передаче")

    def __str__(self) -> str:
        return _("Договор № %(number)s от %(date)s (%(party)s)") % {
            "number": self.number,
            "date": self.signed_on.strftime("%d.%m.%Y"),
            "party": self.counterparty_name,
        }
