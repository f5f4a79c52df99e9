"""The outbox: one letter per person per event, kept with what became of it.

A letter is recorded in the transaction of the change that caused it and sent after the commit (in-process by
default, by the background engine when a broker is set). ``(event, recipient_key)`` is unique: the same event never
writes to the same person twice, however often the code that reports it runs.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ridbook.audit.models import AuditedModel


class LetterState(models.TextChoices):
    QUEUED = "queued", _("в очереди на отправку")
    SENDING = "sending", _("отправляется")
    SENT = "sent", _("отправлено")
    FAILED = "failed", _("не отправлено: ошибка почтового сервера")
    NO_EMAIL = "no_email", _("не уведомлён: нет e-mail")
    OPTED_OUT = "opted_out", _("письма отключены самим получателем")


NOT_NOTIFIED = (LetterState.NO_EMAIL, LetterState.OPTED_OUT, LetterState.FAILED)


class Letter(models.Model):
    """Письмо-уведомление: кому, о чём, по какому событию, и что с ним стало."""

    organization = models.ForeignKey(
        "organizations.Organization", verbose_name=_("организация"), on_delete=models.PROTECT, related_name="+"
    )
    event = models.CharField(_("событие"), max_length=200)
    about = models.CharField(_("объект"), max_length=100, db_index=True)  # «registry.rid:5», «commission.meeting:3»
    kind = models.CharField(_("вид"), max_length=40)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("пользователь"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="letters",
    )
    recipient_key = models.CharField(max_length=300)  # «user:9», «person:4», «email:a@b.ru»
    recipient_name = models.CharField(_("получатель"), max_length=300)
    capacity = models.CharField(_("в качестве"), max_length=100, blank=True)
    email = models.CharField(_("e-mail"), max_length=254, blank=True)
    subject = models.CharField(_("тема"), max_length=300)
    body = models.TextField(_("текст"))
    url = models.CharField(_("ссылка"), max_length=300, blank=True)
    attachment_name = models.CharField(max_length=100, blank=True)
    attachment_type = models.CharField(max_length=100, blank=True)
    attachment = models.BinaryField(blank=True, default=b"")
    state = models.CharField(_("состояние"), max_length=20, choices=LetterState.choices, default=LetterState.QUEUED)
    created_at = models.DateTimeField(_("создано"), default=timezone.now)
    sent_at = models.DateTimeField(_("отправлено"), null=True, blank=True)
    error = models.CharField(_("ошибка"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("письмо-уведомление")
        verbose_name_plural = _("письма-уведомления")
        constraints = [models.UniqueConstraint(fields=["event", "recipient_key"], name="letter_once_per_event")]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="letter_user_recent"),
            models.Index(fields=["state", "created_at"], name="letter_state_age"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_name}: {self.subject}"


class Preference(AuditedModel):
    """Настройки уведомлений пользователя: письма можно отключить, задачи остаются."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("пользователь"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    email_enabled = models.BooleanField(_("получать письма"), default=True)
    language = models.CharField(_("язык писем"), max_length=10, choices=settings.LANGUAGES, default="ru")
    changed_at = models.DateTimeField(_("изменено"), auto_now=True)

    class Meta:
        verbose_name = _("настройки уведомлений")
        verbose_name_plural = _("настройки уведомлений")

    def audit_organization_id(self) -> int | None:
        return self.user.audit_organization_id()
