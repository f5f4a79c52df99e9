"""Журнал безопасности: неудачные входы, блокировки, отказы в доступе, токены API. Append-only."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ridbook.audit.models import AppendOnlyModel


class EventKind(models.TextChoices):
    SIGN_IN_FAILED = "sign_in_failed", _("неудачный вход")
    LOCKED_OUT = "locked_out", _("вход заблокирован")
    PERMISSION_DENIED = "permission_denied", _("отказ в доступе")
    TOKEN_CREATED = "token_created", _("выпущен токен API")
    TOKEN_REVOKED = "token_revoked", _("токен API отозван")
    TOKEN_EXPIRED = "token_expired", _("срок токена API истёк")


class SecurityEvent(AppendOnlyModel):
    """One event. ``organizations`` are those it concerns (the user's roles' and, for a denial, the target's):
    it is seen by whoever may view the security log in one of them or above; an event of no organization
    (an unknown user name) only by those who see every organization (superusers)."""

    journal = _("журнала безопасности")

    at = models.DateTimeField(_("время"), default=timezone.now, db_index=True)
    kind = models.CharField(_("событие"), max_length=20, choices=EventKind.choices)
    username = models.CharField(_("имя пользователя"), max_length=150, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ip_address = models.GenericIPAddressField(_("IP-адрес"), null=True, blank=True)
    path = models.CharField(_("адрес запроса"), max_length=300, blank=True)
    action = models.CharField(_("действие"), max_length=50, blank=True)
    reason = models.TextField(_("причина"), blank=True)
    organizations = models.ManyToManyField("organizations.Organization", blank=True, related_name="+")

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("событие безопасности")
        verbose_name_plural = _("журнал безопасности")
        indexes = [models.Index(fields=["kind", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()}: {self.username or '—'}"

    @property
    def reason_shown(self) -> str:
        """The reason as stored (Russian); a fixed one (``gettext_noop`` where it is written) in the reader's
        language."""
        return gettext(self.reason) if self.reason else self.reason
