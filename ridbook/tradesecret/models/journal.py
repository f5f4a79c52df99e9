"""Журнал учёта доступа (UZ app. 3 §9): every view, download, print and copy of a trade-secret RID's content, granted
or refused. Append-only: the application never changes or deletes an entry (``save`` of a stored entry, ``delete``
and the queryset's ``update``/``delete`` raise); each entry stores the hash of the previous one, so a row changed or
removed in the database breaks the chain (``manage.py verify_tradesecret_journal``). The head row keeps the last
hash and the number of entries, so removing the newest entries is seen too.

The entry names the user by id and label, not by a foreign key: nothing that happens to the user changes the row.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ridbook.core.errors import DomainError

GENESIS = "0" * 64


class JournalAction(models.TextChoices):
    VIEW = "view", _("просмотр")
    DOWNLOAD = "download", _("скачивание")
    PRINT = "print", _("печать")
    COPY = "copy", _("изготовление копии")
    COPY_RETURN = "copy_return", _("возврат копии")
    COPY_DESTROY = "copy_destroy", _("уничтожение копии")
    EXPORT = "export", _("выгрузка")
    DOCUMENT = "document", _("формирование документа")
    EDIT = "edit", _("изменение содержания")
    TRANSFER = "transfer", _("передача по договору")


class JournalAppendOnly(DomainError):
    def __init__(self) -> None:
        super().__init__(
            gettext("Журнал учёта доступа не изменяется и не удаляется."), code="journal_append_only", status=409
        )


class JournalQuerySet(models.QuerySet["JournalEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise JournalAppendOnly()

    def delete(self) -> tuple[int, dict[str, int]]:
        raise JournalAppendOnly()


class JournalEntry(models.Model):
    """Запись журнала учёта доступа к РИД, составляющему коммерческую тайну."""

    at = models.DateTimeField(_("когда"))
    organization = models.ForeignKey(
        "organizations.Organization", verbose_name=_("организация"), on_delete=models.PROTECT, related_name="+"
    )
    regime = models.ForeignKey(
        "tradesecret.Regime", verbose_name=_("режим"), on_delete=models.PROTECT, related_name="journal"
    )
    user_id_value = models.BigIntegerField(_("пользователь (id)"), null=True)
    user_label = models.CharField(_("кто"), max_length=200)
    action = models.CharField(_("действие"), max_length=20, choices=JournalAction.choices)
    granted = models.BooleanField(_("доступ предоставлен"))
    what = models.CharField(_("что"), max_length=300, blank=True)  # «описание», a file's name, «копия № 2»
    channel = models.CharField(_("путь"), max_length=40, blank=True)  # page, api, search, export, document, admin…
    copy_number = models.PositiveIntegerField(_("номер копии"), null=True, blank=True)
    remote_address = models.CharField(_("откуда"), max_length=100, blank=True)
    reason = models.CharField(_("основание или причина отказа"), max_length=300, blank=True)
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, unique=True, editable=False)

    objects = JournalQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("запись журнала учёта доступа")
        verbose_name_plural = _("журнал учёта доступа")
        indexes = [models.Index(fields=["regime", "id"]), models.Index(fields=["organization", "id"])]

    def __str__(self) -> str:
        return f"{self.at:%d.%m.%Y %H:%M} {self.user_label}: {self.get_action_display()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise JournalAppendOnly()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise JournalAppendOnly()

    def payload(self) -> dict[str, Any]:
        """What the hash covers: every field but the id and the hash itself."""
        return {
            "at": self.at.isoformat(),
            "organization": self.organization_id,
            "regime": self.regime_id,
            "user": self.user_id_value,
            "user_label": self.user_label,
            "action": self.action,
            "granted": self.granted,
            "what": self.what,
            "channel": self.channel,
            "copy_number": self.copy_number,
            "remote_address": self.remote_address,
            "reason": self.reason,
            "prev_hash": self.prev_hash,
        }

    def compute_hash(self) -> str:
        canonical = json.dumps(self.payload(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()


class JournalHead(models.Model):
    """One row: the hash of the newest entry and the number of entries (locked while an entry is appended)."""

    last_hash = models.CharField(max_length=64, default=GENESIS)
    entries = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("конец цепочки журнала")

    def __str__(self) -> str:
        return f"{self.entries}: {self.last_hash[:12]}"
