"""Protection documents (patents, certificates), their holders, events, fees and the commission's upkeep decisions
(SPEC §5, §13; VGTU §6.9–6.11). Rules live in ``services.py``; terms and fee amounts come from ``rules``."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ridbook.audit.models import AuditedModel
from ridbook.protection.choices import (
    DocumentKind,
    DocumentStatus,
    EventKind,
    FeeBasis,
    FeeState,
    HolderKind,
)
from ridbook.registry.choices import RidKind


def scan_upload_to(instance: Any, filename: str) -> str:
    return f"protection/{uuid.uuid4().hex}/{filename.rsplit('/', 1)[-1][:100]}"


class ProtectionDocument(AuditedModel):
    """Охранный документ: патент или свидетельство о государственной регистрации."""

    rid = models.ForeignKey(
        "registry.Rid", verbose_name=_("РИД"), on_delete=models.PROTECT, related_name="protection_documents"
    )
    organization = models.ForeignKey(
        "organizations.Organization", verbose_name=_("организация"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("вид документа"), max_length=30, choices=DocumentKind.choices)
    number = models.CharField(_("номер документа"), max_length=50)
    application_number = models.CharField(_("номер заявки"), max_length=50, blank=True)
    application_ref = models.CharField(_("ссылка на заявку"), max_length=100, blank=True)
    filing_date = models.DateField(_("дата подачи заявки"), null=True, blank=True)
    priority_date = models.DateField(_("дата приоритета"), null=True, blank=True)
    granted_on = models.DateField(_("дата выдачи или регистрации"), null=True, blank=True)
    published_on = models.DateField(_("дата публикации"), null=True, blank=True)
    country = models.CharField(_("страна"), max_length=2, default="RU")
    office = models.CharField(_("ведомство"), max_length=100, default="Роспатент")  # i18n: ru-only (stored office name)
    original_location = models.CharField(_("где хранится подлинник"), max_length=300, blank=True)
    scan = models.FileField(_("скан документа"), upload_to=scan_upload_to, blank=True)
    status = models.CharField(
        _("статус"), max_length=20, choices=DocumentStatus.choices, default=DocumentStatus.IN_FORCE
    )
    restoration_until = models.DateField(_("восстановление возможно до"), null=True, blank=True)
    renewals = models.PositiveSmallIntegerField(_("число продлений (промышленный образец)"), default=0)
    extension_years = models.PositiveSmallIntegerField(_("продление срока, лет (изобретение)"), default=0)
    source = models.CharField(_("источник сведений"), max_length=300, blank=True)
    # fees due before this day are not ridbook's to check (a document imported in force): never lapsed for them
    fees_tracked_from = models.DateField(_("пошлины учитываются с"), null=True, blank=True)

    class Meta:
        ordering = ["-granted_on", "number"]
        verbose_name = _("охранный документ")
        verbose_name_plural = _("охранные документы")
        constraints = [
            models.UniqueConstraint(fields=["kind", "country", "number"], name="protection_document_unique_number")
        ]
        indexes = [models.Index(fields=["organization", "status"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} № {self.number}"

    @property
    def rid_kind(self) -> str:
        return str(RidKind(self.kind))


class Holder(AuditedModel):
    """Правообладатель и его доля."""

    audit_organization_path = "document__organization"

    document = models.ForeignKey(
        ProtectionDocument, verbose_name=_("охранный документ"), on_delete=models.CASCADE, related_name="holders"
    )
    kind = models.CharField(_("кто"), max_length=20, choices=HolderKind.choices, default=HolderKind.ORGANIZATION)
    name = models.CharField(_("наименование или имя"), max_length=500, blank=True)
    inn = models.CharField(_("ИНН"), max_length=12, blank=True)
    ogrn = models.CharField(_("ОГРН"), max_length=15, blank=True)
    share = models.DecimalField(_("доля, %"), max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("правообладатель")
        verbose_name_plural = _("правообладатели")

    def __str__(self) -> str:
        return f"{self.name or self.get_kind_display()} ({self.share} %)"


class DocumentEvent(AuditedModel):
    """Событие охранного документа: только оно меняет его статус."""

    audit_organization_path = "document__organization"

    document = models.ForeignKey(
        ProtectionDocument, verbose_name=_("охранный документ"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("событие"), max_length=20, choices=EventKind.choices)
    on = models.DateField(_("дата"))
    restoration_until = models.DateField(_("восстановление возможно до"), null=True, blank=True)
    years = models.PositiveSmallIntegerField(_("на сколько лет"), default=0)
    note = models.CharField(_("примечание"), max_length=500, blank=True)
    recorded_at = models.DateTimeField(_("записано"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("записал"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["on", "pk"]
        verbose_name = _("событие охранного документа")
        verbose_name_plural = _("события охранных документов")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on:%d.%m.%Y}"


class FeeRate(AuditedModel):
    """Строка таблицы пошлин, внесённая подразделением по ИС (с источником), когда ведомство меняет таблицу."""

    organization = models.ForeignKey(
        "organizations.Organization", verbose_name=_("организация"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("вид РИД"), max_length=30, choices=RidKind.choices)
    basis = models.CharField(_("основа"), max_length=10, choices=FeeBasis.choices, default=FeeBasis.YEAR)
    first = models.PositiveSmallIntegerField(_("с года (периода)"))
    last = models.PositiveSmallIntegerField(_("по год (период)"))
    amount = models.DecimalField(_("размер, руб."), max_digits=12, decimal_places=2)
    valid_from = models.DateField(_("действует с"))
    valid_until = models.DateField(_("действует по"), null=True, blank=True)
    source = models.CharField(_("источник"), max_length=500)
    verified = models.BooleanField(_("проверено по официальному тексту"), default=False)

    class Meta:
        ordering = ["kind", "first", "-valid_from"]
        verbose_name = _("строка таблицы пошлин")
        verbose_name_plural = _("строки таблицы пошлин")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.first}–{self.last}: {self.amount}"


class FeeDueRecord(AuditedModel):
    """Пошлина за год (период) действия документа: срок, льготный срок, размер, состояние."""

    audit_organization_path = "document__organization"

    document = models.ForeignKey(
        ProtectionDocument, verbose_name=_("охранный документ"), on_delete=models.CASCADE, related_name="fees"
    )
    number = models.PositiveSmallIntegerField(_("год (период)"))
    basis = models.CharField(_("основа"), max_length=10, choices=FeeBasis.choices, default=FeeBasis.YEAR)
    period_start = models.DateField(_("начало периода"))
    period_end = models.DateField(_("конец периода"))
    due_on = models.DateField(_("срок уплаты"))
    grace_until = models.DateField(_("льготный срок до"))
    amount = models.DecimalField(_("размер, руб."), max_digits=12, decimal_places=2, null=True, blank=True)
    surcharge = models.DecimalField(
        _("доплата в льготный срок, руб."), max_digits=12, decimal_places=2, null=True, blank=True
    )
    note = models.CharField(_("примечание"), max_length=500, blank=True)
    state = models.CharField(_("состояние"), max_length=20, choices=FeeState.choices, default=FeeState.DUE)

    class Meta:
        ordering = ["document", "number"]
        verbose_name = _("пошлина")
        verbose_name_plural = _("пошлины")
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="fee_due_unique_number")]
        indexes = [
            models.Index(fields=["state", "grace_until"]),
            # a document's first fee due in a year (the upkeep deadlines: one probe per document)
            models.Index(fields=["document", "state", "due_on"], name="fee_document_state_due"),
            # the fees due soon or in their grace period (the fee deadlines): a range of due dates, the grace
            # period's end read in the index
            models.Index(fields=["due_on", "grace_until"], condition=models.Q(state="due"), name="fee_due_open"),
        ]

    def __str__(self) -> str:
        return f"{self.document} — {self.number}"


class FeePayment(AuditedModel):
    """Платёж пошлины: дата, сумма, номер платёжного поручения."""

    audit_organization_path = "due__document__organization"

    due = models.ForeignKey(FeeDueRecord, verbose_name=_("пошлина"), on_delete=models.CASCADE, related_name="payments")
    paid_on = models.DateField(_("дата платежа"))
    amount = models.DecimalField(_("сумма, руб."), max_digits=12, decimal_places=2)
    surcharge = models.DecimalField(_("в том числе доплата, руб."), max_digits=12, decimal_places=2, default=0)
    order_number = models.CharField(_("номер платёжного поручения"), max_length=50)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("внёс"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["paid_on", "pk"]
        verbose_name = _("платёж пошлины")
        verbose_name_plural = _("платежи пошлин")

    def __str__(self) -> str:
        return f"№ {self.order_number} {self.paid_on:%d.%m.%Y}"


class UpkeepDecision(AuditedModel):
    """Решение комиссии о поддержании документа в силе на год."""

    audit_organization_path = "document__organization"

    document = models.ForeignKey(
        ProtectionDocument, verbose_name=_("охранный документ"), on_delete=models.CASCADE, related_name="upkeep"
    )
    year = models.PositiveSmallIntegerField(_("год"))
    keep = models.BooleanField(_("поддерживать"))
    agenda_item = models.ForeignKey(
        "commission.AgendaItem",
        verbose_name=_("вопрос повестки"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    label = models.CharField(_("протокол или заседание"), max_length=200, blank=True)
    decided_on = models.DateField(_("дата решения"))

    class Meta:
        ordering = ["document", "-year"]
        verbose_name = _("решение о поддержании")
        verbose_name_plural = _("решения о поддержании")
        constraints = [models.UniqueConstraint(fields=["document", "year"], name="upkeep_unique_year")]

    def __str__(self) -> str:
        return f"{self.document}: {self.year}"
