"""The content of a trade-secret RID at rest: encrypted with a key the database does not hold (``crypto.py``).

:class:`SealedContent` keeps the RID's content fields (and its authors' creative contributions, the export-control
act's description of the object) as one Fernet token; :class:`SealedFile` keeps a packet file's original name as a
token, while the file itself is re-written encrypted under ``MEDIA_ROOT/tradesecret/`` and the packet document points
at that ciphertext. A database dump or a media backup shows neither. Only ``sealing.py`` writes these rows and only
``access.py`` decrypts them.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SealedContent(models.Model):
    """Зашифрованное содержание РИД в режиме коммерческой тайны."""

    regime = models.OneToOneField(
        "tradesecret.Regime", verbose_name=_("режим"), on_delete=models.PROTECT, related_name="sealed"
    )
    token = models.TextField(_("зашифрованное содержание"))
    sealed_at = models.DateTimeField(_("зашифровано"), auto_now_add=True)
    updated_at = models.DateTimeField(_("изменено"), auto_now=True)

    class Meta:
        verbose_name = _("зашифрованное содержание")
        verbose_name_plural = _("зашифрованное содержание")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"


class SealedFile(models.Model):
    """Файл пакета РИД в режиме коммерческой тайны: на диске только шифротекст, имя файла тоже зашифровано."""

    regime = models.ForeignKey(
        "tradesecret.Regime", verbose_name=_("режим"), on_delete=models.PROTECT, related_name="sealed_files"
    )
    document = models.OneToOneField(
        "registry.PacketDocument", verbose_name=_("документ пакета"), on_delete=models.CASCADE, related_name="sealed"
    )
    name_token = models.TextField(_("зашифрованное имя файла"))
    size = models.PositiveBigIntegerField(_("размер, байт"))
    sealed_at = models.DateTimeField(_("зашифрован"), auto_now_add=True)

    class Meta:
        verbose_name = _("зашифрованный файл")
        verbose_name_plural = _("зашифрованные файлы")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"
