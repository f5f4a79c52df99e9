"""The secret address of a user's calendar feed of deadlines."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ridbook.audit.models import AuditedModel


class FeedToken(AuditedModel):
    """Секретный адрес календаря сроков пользователя: кто знает адрес, читает сроки без входа; новый адрес отменяет
    прежний. The token itself is kept out of the change log (``audit_exclude``): the log records that it changed."""

    audit_exclude = ("token",)

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("пользователь"), on_delete=models.CASCADE, related_name="feed_token"
    )
    token = models.CharField(_("секретный ключ"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("создан"), default=timezone.now)

    class Meta:
        verbose_name = _("адрес календаря сроков")
        verbose_name_plural = _("адреса календаря сроков")

    def __str__(self) -> str:
        return str(_("календарь сроков: %(user)s") % {"user": self.user.full_name})

    def audit_organization_id(self) -> int | None:
        return self.user.audit_organization_id()
