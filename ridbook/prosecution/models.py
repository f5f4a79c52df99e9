"""Applications for a decided RID, the patent office's correspondence and the docket's tasks (SPEC §5, §13)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ridbook.audit.models import AuditedModel
from ridbook.prosecution.choices import (
    PROCEDURE_OF_KIND,
    STAGES,
    ApplicationKind,
    LetterDirection,
    LetterKind,
    Office,
    PriorityKind,
    Stage,
    TaskState,
)
from ridbook.protection.rules.events import EVENT_CHOICES


def prosecution_upload_to(instance: Any, filename: str) -> str:
    application_id = getattr(instance, "application_id", None)
    return f"prosecution/{application_id or 'new'}/{filename}"


class Application(AuditedModel):
    """Заявка на выдачу патента или на государственную регистрацию по РИД, решённому комиссией."""

    rid = models.ForeignKey(
        "registry.Rid", on_delete=models.PROTECT, related_name="applications", verbose_name=_("РИД")
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("организация"),
    )
    office = models.CharField(_("ведомство"), max_length=10, choices=Office.choices, default=Office.RU)
    country = models.CharField(_("код страны ведомства"), max_length=2, default="RU")
    kind = models.CharField(_("вид охраны"), max_length=30, choices=ApplicationKind.choices)
    number = models.CharField(_("номер заявки"), max_length=50, blank=True)
    filing_date = models.DateField(_("дата подачи"), null=True, blank=True)
    stage = models.CharField(_("стадия"), max_length=30, choices=Stage.choices, default=Stage.PREPARED)
    signatory = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("уполномоченное лицо (подписывает)"),
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ответственный специалист по ИС"),
    )
    attorney_name = models.CharField(_("патентный поверенный"), max_length=200, blank=True)
    attorney_number = models.CharField(_("регистрационный номер патентного поверенного"), max_length=20, blank=True)
    created_at = models.DateTimeField(_("создана"), auto_now_add=True)

    audit_organization_path = "organization"

    class Meta:
        verbose_name = _("заявка")
        verbose_name_plural = _("заявки")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organization", "stage"])]

    def __str__(self) -> str:
        number = self.number or str(_("без номера"))
        return f"{_('Заявка')} {number} ({self.get_office_display()})"

    @property
    def procedure(self) -> str:
        return PROCEDURE_OF_KIND[ApplicationKind(self.kind)]

    def stages(self) -> list[Stage]:
        return STAGES[self.procedure]


class PriorityClaim(AuditedModel):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="priorities", verbose_name=_("заявка")
    )
    kind = models.CharField(_("вид приоритета"), max_length=20, choices=PriorityKind.choices)
    number = models.CharField(_("номер (заявки, выставки)"), max_length=100, blank=True)
    date = models.DateField(_("дата приоритета"))
    country = models.CharField(_("страна"), max_length=2, blank=True)

    audit_organization_path = "application__organization"

    class Meta:
        verbose_name = _("притязание на приоритет")
        verbose_name_plural = _("притязания на приоритет")
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number} {self.date:%d.%m.%Y}"


class ApplicationEvent(AuditedModel):
    """Событие делопроизводства: только оно меняет стадию заявки (таблица переходов в ``choices.py``)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="events", verbose_name=_("заявка")
    )
    code = models.CharField(_("событие"), max_length=40, choices=EVENT_CHOICES)
    on = models.DateField(_("дата события"))
    ref = models.CharField(_("к чему относится (задача, пошлина)"), max_length=200, blank=True)
    note = models.TextField(_("примечание"), blank=True)
    file = models.FileField(_("документ"), upload_to=prosecution_upload_to, blank=True)
    stage_before = models.CharField(_("стадия до"), max_length=30, choices=Stage.choices)
    stage_after = models.CharField(_("стадия после"), max_length=30, choices=Stage.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("кто записал"),
    )
    recorded_at = models.DateTimeField(_("записано"), auto_now_add=True)

    audit_organization_path = "application__organization"

    class Meta:
        verbose_name = _("событие заявки")
        verbose_name_plural = _("события заявки")
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.label} {self.on:%d.%m.%Y}"

    @property
    def label(self) -> str:
        return str(self.get_code_display())


class OfficeLetter(AuditedModel):
    """Письмо ведомства (запрос, уведомление, решение) или наш ответ на запрос."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="letters", verbose_name=_("заявка")
    )
    direction = models.CharField(_("направление"), max_length=10, choices=LetterDirection.choices)
    kind = models.CharField(_("вид письма"), max_length=20, choices=LetterKind.choices)
    number = models.CharField(_("номер письма"), max_length=100, blank=True)
    date = models.DateField(_("дата получения / отправки"))
    term = models.DateField(_("срок ответа"), null=True, blank=True)
    extended_until = models.DateField(_("срок продлён до"), null=True, blank=True)
    extension_requested_on = models.DateField(_("дата ходатайства о продлении"), null=True, blank=True)
    answers = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replies",
        verbose_name=_("ответ на письмо"),
    )
    note = models.TextField(_("содержание"), blank=True)
    file = models.FileField(_("файл письма"), upload_to=prosecution_upload_to, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("кто записал"),
    )

    audit_organization_path = "application__organization"

    class Meta:
        verbose_name = _("письмо ведомства")
        verbose_name_plural = _("переписка с ведомством")
        ordering = ["date", "id"]

    def __str__(self) -> str:
        number = f" № {self.number}" if self.number else ""
        return f"{self.get_direction_display()} {self.get_kind_display()}{number} {self.date:%d.%m.%Y}"

    @property
    def due(self) -> Any:
        """The response term in force: the extended one when extended."""
        return self.extended_until or self.term


class DocketTask(AuditedModel):
    """Задача делопроизводства, рассчитанная по правилам политики (``sync_docket``); выполненные не пересчитываются."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("заявка")
    )
    key = models.CharField(_("ключ задачи"), max_length=200)
    title = models.CharField(_("задача"), max_length=500)
    due = models.DateField(_("срок"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("исполнитель"),
    )
    rule_code = models.CharField(_("правило"), max_length=100)
    rule_source = models.CharField(_("источник правила"), max_length=500, blank=True)
    verified = models.BooleanField(_("сверено с официальным текстом"), default=False)
    fee = models.CharField(_("пошлина"), max_length=100, blank=True)
    state = models.CharField(_("состояние"), max_length=10, choices=TaskState.choices, default=TaskState.OPEN)
    done_at = models.DateTimeField(_("выполнена"), null=True, blank=True)

    audit_organization_path = "application__organization"

    class Meta:
        verbose_name = _("задача делопроизводства")
        verbose_name_plural = _("задачи делопроизводства")
        ordering = ["due", "id"]
        constraints = [models.UniqueConstraint(fields=["application", "key"], name="docket_task_key")]
        indexes = [models.Index(fields=["state", "due"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.due:%d.%m.%Y})"
