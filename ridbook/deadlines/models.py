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


class StoredDeadline(models.Model):
    """Срок, сохранённый из поставщика многих сроков (пошлины, поддержание, задачи делопроизводства): what the
    provider computes, kept as a row so that the page «Сроки», the API and the reminders filter, order and page it in
    the database (see :mod:`ridbook.deadlines.store`). Derived data: refreshed by the daily job and by every write
    that changes the deadline's inputs, never edited; not journaled."""

    key = models.CharField(_("ключ"), max_length=200, unique=True)
    source = models.CharField(_("поставщик"), max_length=50)
    anchor = models.BigIntegerField(_("объект"))  # the provider's object whose rows are refreshed together
    seq = models.BigIntegerField(default=0)  # the provider's own order among deadlines due the same day
    kind = models.CharField(_("вид"), max_length=200)
    title = models.CharField(_("название"), max_length=500)
    due = models.DateField(_("срок"))
    rule = models.CharField(_("правило"), max_length=500, blank=True)
    url = models.CharField(_("ссылка"), max_length=300, blank=True)
    organization = models.ForeignKey(
        "organizations.Organization", verbose_name=_("организация"), on_delete=models.CASCADE, related_name="+"
    )
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ответственный"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    rid_id = models.BigIntegerField(null=True, blank=True)  # the registry is a domain app: no foreign key to it
    rid_number = models.CharField(_("номер РИД"), max_length=50, blank=True)
    state = models.CharField(_("состояние"), max_length=10, default="open")
    escalate = models.BooleanField(default=True)
    extra = models.JSONField(default=dict, blank=True)  # the provider's extra, and the texts in other languages
    refreshed_at = models.DateTimeField(_("обновлено"), default=timezone.now)

    class Meta:
        verbose_name = _("сохранённый срок")
        verbose_name_plural = _("сохранённые сроки")
        indexes = [
            models.Index(fields=["source", "anchor"], name="stored_deadline_anchor"),
            models.Index(fields=["-state", "due", "title"], name="stored_deadline_order"),
            models.Index(fields=["organization", "state", "due"], name="stored_deadline_org_due"),
            # who sees a row (source, organization, owner) and the state filters: the counts read the index alone
            models.Index(
                fields=["source", "organization", "owner_user", "state", "due"], name="stored_deadline_visible"
            ),
            models.Index(fields=["owner_user", "state", "due"], name="stored_deadline_owner_due"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.due:%d.%m.%Y})"


class StoredSource(models.Model):
    """The day for which a stored provider's rows were last refreshed as a whole (:func:`ridbook.deadlines.store.
    ensure_fresh` refreshes a source whose day is not today)."""

    source = models.CharField(_("поставщик"), max_length=50, unique=True)
    day = models.DateField(_("на дату"))
    refreshed_at = models.DateTimeField(_("обновлено"), default=timezone.now)

    class Meta:
        verbose_name = _("обновление сохранённых сроков")
        verbose_name_plural = _("обновления сохранённых сроков")

    def __str__(self) -> str:
        return f"{self.source}: {self.day:%d.%m.%Y}"
