"""The regime of one RID: presentation to the scientific-technical council, its decision, the head's approval,
storage, the copy limit, and its end (UZ app. 3 §5–9, §20; RZD §4.3.6)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ridbook.audit.models import AuditedModel
from ridbook.tradesecret.choices import RESTRICTED_STATES, CouncilOutcome, EndReason, RegimeState, StorageMedium


class Regime(AuditedModel):
    """Режим коммерческой тайны одного РИД."""

    # the commercial value argues from the content: not copied into the change log (read by auditors and the IP
    # department as a whole, not by the access list)
    audit_exclude = ("commercial_value",)

    rid = models.OneToOneField(
        "registry.Rid", verbose_name=_("РИД"), on_delete=models.PROTECT, related_name="trade_secret_regime"
    )
    # the holder of the secret: the RID's organization when the regime was opened (a move of the RID does not move it)
    organization = models.ForeignKey(
        "organizations.Organization", verbose_name=_("организация"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(_("состояние"), max_length=20, choices=RegimeState.choices, default=RegimeState.PRESENTED)
    # 1. the division head presents the RID to the council (UZ app. 3 §5)
    presented_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("представил"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    presented_on = models.DateField(_("дата представления"))
    commercial_value = models.TextField(_("действительная или потенциальная коммерческая ценность"), blank=True)
    # 2. the council's decision (UZ app. 3 §6)
    council_outcome = models.CharField(_("решение совета"), max_length=20, choices=CouncilOutcome.choices, blank=True)
    council_protocol_number = models.CharField(_("номер протокола совета"), max_length=50, blank=True)
    council_decided_on = models.DateField(_("дата решения совета"), null=True, blank=True)
    # 3. the head (or the deputy for science) approves the decision and the access list (UZ app. 3 §7)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("утвердил"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_on = models.DateField(_("дата утверждения"), null=True, blank=True)
    approval_order_number = models.CharField(_("номер приказа (распоряжения)"), max_length=50, blank=True)
    # the single register (UZ app. 3 §10): the RID's name, authors and time of creation; the name the register shows
    # discloses nothing of the content (the RID's own title is content, sealed with it), the RID's title when blank
    register_name = models.CharField(_("наименование в реестре"), max_length=500, blank=True)
    created_on = models.DateField(_("время создания РИД"), null=True, blank=True)
    # storage (UZ app. 3 §8–9): the IP department keeps it on a durable medium, with a limited number of copies
    storage_place = models.CharField(_("место хранения"), max_length=300, blank=True)
    storage_medium = models.CharField(_("носитель"), max_length=20, choices=StorageMedium.choices, blank=True)
    copy_limit = models.PositiveSmallIntegerField(_("предельное число копий"), default=1)
    # the holder named in the marking «КОММЕРЧЕСКАЯ ТАЙНА» (Federal law 98-FZ art. 10: the holder's name and address)
    holder_name = models.CharField(_("обладатель информации"), max_length=500, blank=True)
    holder_address = models.CharField(_("адрес обладателя"), max_length=500, blank=True)
    # the end: disclosure ends the regime and the exclusive right (RZD §4.3.6)
    ended_on = models.DateField(_("режим прекращён"), null=True, blank=True)
    end_reason = models.CharField(_("причина прекращения"), max_length=20, choices=EndReason.choices, blank=True)
    end_details = models.TextField(_("обстоятельства прекращения"), blank=True)

    class Meta:
        ordering = ["-presented_on", "-id"]
        verbose_name = _("режим коммерческой тайны")
        verbose_name_plural = _("режимы коммерческой тайны")
        indexes = [models.Index(fields=["organization", "state"])]

    def __str__(self) -> str:
        return _("Режим КТ: %(rid)s") % {"rid": self.rid}

    @property
    def is_restricted(self) -> bool:
        """Is the RID's content readable only by the access list now?"""
        return self.state in RESTRICTED_STATES
