"""While a regime restricts, no save puts content back into a plaintext column; a packet file stored later is sealed.

Connected in ``TradeSecretConfig.ready``. Editing the content of a restricted RID goes through
``access.edit_content`` (encrypted, journaled); the notice form and the API refuse it with the message below.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save, pre_save
from django.utils.translation import gettext as _

from ridbook.core.errors import DomainError
from ridbook.registry.models import Authorship, ExportControlAct, PacketDocument, Rid
from ridbook.tradesecret import sealing


class ContentSealed(DomainError):
    def __init__(self) -> None:
        super().__init__(
            _(
                "РИД в режиме коммерческой тайны: его содержание (назначение, реферат, области использования, "
                "ключевые слова, источники публикации, творческий вклад, описание объекта) изменяется только на "
                "странице содержания — лицами из списка допуска."
            ),
            code="trade_secret_content",
            status=409,
        )


def _refuse_plaintext(instance: Any, fields: tuple[str, ...], rid_id: int | None) -> None:
    if not any(getattr(instance, f) not in ("", None, []) for f in fields):
        return
    if sealing.restricted_regime(rid_id) is not None:
        raise ContentSealed()


def rid_pre_save(sender: Any, instance: Rid, **kwargs: Any) -> None:
    if instance.pk is not None:
        _refuse_plaintext(instance, sealing.RID_CONTENT_FIELDS, instance.pk)


def authorship_pre_save(sender: Any, instance: Authorship, **kwargs: Any) -> None:
    _refuse_plaintext(instance, sealing.AUTHORSHIP_CONTENT_FIELDS, instance.rid_id)


def export_control_pre_save(sender: Any, instance: ExportControlAct, **kwargs: Any) -> None:
    _refuse_plaintext(instance, sealing.EXPORT_CONTROL_CONTENT_FIELDS, instance.rid_id)


def packet_post_save(sender: Any, instance: PacketDocument, created: bool, **kwargs: Any) -> None:
    if not created or kwargs.get("raw"):
        return
    regime = sealing.restricted_regime(instance.rid_id)
    if regime is not None:
        sealing.seal_file(regime, instance, just_stored=True)
        sealing.redact_change_log(instance.rid)


class RegimeKeepsTheRid(DomainError):
    def __init__(self) -> None:
        super().__init__(
            _("РИД представлен научно-техническому совету (режим коммерческой тайны): его нельзя удалить."),
            code="trade_secret_rid",
            status=409,
        )


def refuse_deleting_a_regime_rid(rid: Rid) -> None:
    """The registry's deletion of a draft asks here (the regime's foreign key protects the row anyway)."""
    from ridbook.tradesecret.models import Regime

    if Regime.objects.filter(rid_id=rid.pk).exists():
        raise RegimeKeepsTheRid()


def connect() -> None:
    pre_save.connect(rid_pre_save, sender=Rid, dispatch_uid="tradesecret.rid_pre_save")
    pre_save.connect(authorship_pre_save, sender=Authorship, dispatch_uid="tradesecret.authorship_pre_save")
    pre_save.connect(export_control_pre_save, sender=ExportControlAct, dispatch_uid="tradesecret.export_pre_save")
    post_save.connect(packet_post_save, sender=PacketDocument, dispatch_uid="tradesecret.packet_post_save")
