"""Комиссия по ИС: состав (приказ), эксперты, заседания, повестка, явка, голосование, особое мнение, протокол.

Everything that goes into a protocol is an :class:`ImmutableRecordModel`: once the chair and the secretary have
signed, the meeting, its items, attendance, votes, expert opinions and dissents are locked (VGTU appendix 1; a
correction is a new decision at a new meeting).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ridbook.audit.models import AuditedModel, ImmutableRecordModel
from ridbook.commission.choices import (
    Absence,
    ApproverVerdict,
    ItemKind,
    MeetingStatus,
    MemberRole,
    Outcome,
    VoteChoice,
)
from ridbook.registry.choices import ProtectionForm


class Commission(AuditedModel):
    """Постоянно действующий коллегиальный орган; персональный состав утверждается приказом (VGTU §3.2)."""

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("организация"),
        on_delete=models.PROTECT,
        related_name="commissions",
    )
    title = models.CharField(
        _("наименование"),
        max_length=300,
        default="Комиссия по интеллектуальной собственности",  # i18n: ru-only (stored name, printed in the protocol)
    )
    order_number = models.CharField(_("номер приказа о составе"), max_length=50)
    order_date = models.DateField(_("дата приказа о составе"))
    default_place = models.CharField(_("место заседаний по умолчанию"), max_length=300, blank=True)
    is_active = models.BooleanField(_("действует"), default=True)

    class Meta:
        ordering = ["organization__name", "-order_date"]
        verbose_name = _("комиссия")
        verbose_name_plural = _("комиссии")
        constraints = [
            models.UniqueConstraint(
                fields=["organization"], condition=Q(is_active=True), name="commission_one_active_per_org"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.organization})"

    @classmethod
    def audit_names(cls, ids: Collection[Any]) -> dict[Any, str]:
        rows = cls._default_manager.filter(pk__in=ids).values_list("pk", "title", "organization__short_name")
        return {pk: f"{title} ({org})" for pk, title, org in rows}


class CommissionMember(AuditedModel):
    """Член комиссии по приказу: председатель, заместитель, секретарь, члены. Все они голосуют."""

    audit_organization_path = "commission__organization"

    commission = models.ForeignKey(
        Commission, verbose_name=_("комиссия"), on_delete=models.CASCADE, related_name="members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("пользователь"),
        on_delete=models.PROTECT,
        related_name="commission_seats",
    )
    role = models.CharField(_("роль в комиссии"), max_length=20, choices=MemberRole.choices, default=MemberRole.MEMBER)
    position = models.CharField(_("должность"), max_length=300)
    is_active = models.BooleanField(_("входит в состав"), default=True)
    # the order that removed the member from the composition (VGTU §3.2: the composition is changed by order)
    removal_order_number = models.CharField(_("выведен приказом №"), max_length=50, blank=True)
    removal_order_date = models.DateField(_("дата приказа о выводе"), null=True, blank=True)

    class Meta:
        ordering = ["commission", "id"]
        verbose_name = _("член комиссии")
        verbose_name_plural = _("члены комиссии")
        constraints = [
            models.UniqueConstraint(fields=["commission", "user"], name="member_unique_user"),
            models.UniqueConstraint(
                fields=["commission", "role"],
                condition=Q(is_active=True) & ~Q(role="member"),
                name="member_one_chair_deputy_secretary",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user.full_name} — {self.get_role_display()}"

    @classmethod
    def audit_names(cls, ids: Collection[Any]) -> dict[Any, str]:
        rows = cls._default_manager.filter(pk__in=ids).values_list("pk", "user_id")
        names = get_user_model().audit_names({user for _, user in rows})
        return {pk: names.get(user, f"№ {pk}") for pk, user in rows}


class Meeting(ImmutableRecordModel):
    """Заседание и его протокол (номер в пределах года)."""

    audit_organization_path = "commission__organization"

    commission = models.ForeignKey(
        Commission, verbose_name=_("комиссия"), on_delete=models.PROTECT, related_name="meetings"
    )
    year = models.PositiveSmallIntegerField(_("год"))
    number = models.PositiveIntegerField(_("номер протокола"))
    date = models.DateField(_("дата заседания"))
    time = models.TimeField(_("время начала"))
    duration_minutes = models.PositiveSmallIntegerField(_("продолжительность, мин"), default=90)
    place = models.CharField(_("место проведения"), max_length=300)
    status = models.CharField(_("статус"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED)
    notices_sent_at = models.DateTimeField(_("уведомления разосланы"), null=True, blank=True)
    notices_late = models.BooleanField(_("уведомления позже срока"), default=False)
    # each move of a notified meeting: the calendar invitation's SEQUENCE (RFC 5545 §3.8.7.4)
    revision = models.PositiveSmallIntegerField(_("перенос (номер)"), default=0)
    moved_reason = models.CharField(_("причина последнего переноса"), max_length=300, blank=True)
    opened_at = models.DateTimeField(_("заседание открыто"), null=True, blank=True)
    # opened although no notice was sent: who confirmed it (the protocol says so)
    opened_unnotified_by = models.CharField(
        _("открыто без рассылки уведомлений, подтвердил"), max_length=200, blank=True
    )
    # a meeting that took place before it was entered (its date in the past): no notices are sent; the protocol says
    # when, by whom and why it was entered
    entered_after_fact = models.BooleanField(_("внесено после проведения"), default=False)
    entered_after_fact_at = models.DateTimeField(_("внесено в систему"), null=True, blank=True)
    entered_after_fact_by = models.CharField(_("внёс после проведения"), max_length=200, blank=True)
    entered_after_fact_reason = models.TextField(_("причина внесения после проведения"), blank=True)
    closed_at = models.DateTimeField(_("голосование завершено"), null=True, blank=True)
    chair_signed_at = models.DateTimeField(_("подписан председателем"), null=True, blank=True)
    chair_signed_by = models.CharField(_("председатель (подпись)"), max_length=200, blank=True)
    secretary_signed_at = models.DateTimeField(_("подписан секретарём"), null=True, blank=True)
    secretary_signed_by = models.CharField(_("секретарь (подпись)"), max_length=200, blank=True)
    protocol_docx = models.FileField(_("подписанный протокол (DOCX)"), upload_to="commission/protocols/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("создал"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-date", "-time"]
        verbose_name = _("заседание комиссии")
        verbose_name_plural = _("заседания комиссии")
        constraints = [
            models.UniqueConstraint(fields=["commission", "year", "number"], name="meeting_unique_number"),
        ]

    def __str__(self) -> str:
        return gettext("Протокол № %(number)s от %(date)s") % {"number": self.number, "date": f"{self.date:%d.%m.%Y}"}

    @property
    def label(self) -> str:
        return gettext("№ %(number)s/%(year)s от %(date)s") % {
            "number": self.number,
            "year": self.year,
            "date": f"{self.date:%d.%m.%Y}",
        }


class AgendaItem(ImmutableRecordModel):
    """Вопрос повестки: одна заявка — один вопрос — одно решение (VGTU §6.3)."""

    audit_organization_path = "meeting__commission__organization"

    meeting = models.ForeignKey(Meeting, verbose_name=_("заседание"), on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(_("№ п/п"))
    kind = models.CharField(_("вид вопроса"), max_length=20, choices=ItemKind.choices)
    rid = models.ForeignKey(
        "registry.Rid", verbose_name=_("РИД"), on_delete=models.PROTECT, related_name="agenda_items"
    )
    title = models.CharField(_("формулировка вопроса"), max_length=600)
    requires_experts = models.BooleanField(_("нужно заключение эксперта (резолюция утверждающего)"), default=False)
    heard = models.TextField(_("СЛУШАЛИ"), blank=True)
    spoke = models.TextField(_("ВЫСТУПИЛИ"), blank=True)
    outcome = models.CharField(_("предложенное решение"), max_length=30, choices=Outcome.choices, blank=True)
    protection_form = models.CharField(_("форма охраны"), max_length=20, choices=ProtectionForm.choices, blank=True)
    reason = models.TextField(_("причина (перенос, доработка)"), blank=True)
    valuation_amount = models.DecimalField(
        _("балансовая стоимость, руб."), max_digits=14, decimal_places=2, null=True, blank=True
    )
    adopted = models.BooleanField(_("решение принято"), null=True)
    result_text = models.CharField(_("итог голосования"), max_length=300, blank=True)
    effective = models.BooleanField(_("решение вступило в силу"), default=False)

    class Meta:
        ordering = ["meeting", "order"]
        verbose_name = _("вопрос повестки")
        verbose_name_plural = _("вопросы повестки")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "order"], name="item_unique_order"),
            models.UniqueConstraint(fields=["meeting", "rid", "kind"], name="item_unique_rid_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"


class Attendance(ImmutableRecordModel):
    """Явка члена комиссии; состав на дату заседания фиксируется здесь (снимок)."""

    audit_organization_path = "meeting__commission__organization"

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("заседание"), on_delete=models.CASCADE, related_name="attendance"
    )
    member = models.ForeignKey(
        CommissionMember, verbose_name=_("член комиссии"), on_delete=models.PROTECT, related_name="attendance"
    )
    role = models.CharField(_("роль"), max_length=20, choices=MemberRole.choices)
    position = models.CharField(_("должность"), max_length=300)
    present = models.BooleanField(_("присутствует"), null=True)
    absence = models.CharField(_("отсутствие"), max_length=20, choices=Absence.choices, blank=True)
    note = models.CharField(_("примечание"), max_length=300, blank=True)

    class Meta:
        ordering = ["meeting", "id"]
        verbose_name = _("явка")
        verbose_name_plural = _("явка")
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="attendance_unique_member")]

    def __str__(self) -> str:
        state = gettext("присутствует") if self.present else (self.get_absence_display() or gettext("явка не отмечена"))
        return f"{self.member.user.full_name}: {state}"


class Vote(ImmutableRecordModel):
    """Открытое голосование: только присутствующие члены (VGTU §6.5, заочное голосование не допускается)."""

    audit_organization_path = "item__meeting__commission__organization"

    item = models.ForeignKey(
        AgendaItem, verbose_name=_("вопрос повестки"), on_delete=models.CASCADE, related_name="votes"
    )
    member = models.ForeignKey(
        CommissionMember, verbose_name=_("член комиссии"), on_delete=models.PROTECT, related_name="votes"
    )
    choice = models.CharField(_("голос"), max_length=10, choices=VoteChoice.choices)
    recorded_by = models.CharField(_("внёс"), max_length=200)

    class Meta:
        ordering = ["item", "id"]
        verbose_name = _("голос")
        verbose_name_plural = _("голоса")
        constraints = [models.UniqueConstraint(fields=["item", "member"], name="vote_unique_member")]

    def __str__(self) -> str:
        return f"{self.member.user.full_name}: {self.get_choice_display()}"


def opinion_upload_to(instance: ExpertInvitation, filename: str) -> str:
    return f"commission/meeting/{instance.item.meeting_id}/experts/{filename}"


class ExpertInvitation(ImmutableRecordModel):
    """Приглашённый эксперт по вопросу; не автор этого РИД; не голосует; письменное заключение — к протоколу."""

    audit_organization_path = "item__meeting__commission__organization"

    item = models.ForeignKey(
        AgendaItem, verbose_name=_("вопрос повестки"), on_delete=models.CASCADE, related_name="experts"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("эксперт"), on_delete=models.PROTECT, related_name="expert_invitations"
    )
    position = models.CharField(_("должность, место работы"), max_length=300, blank=True)
    opinion = models.TextField(_("заключение эксперта"), blank=True)
    opinion_file = models.FileField(_("файл заключения"), upload_to=opinion_upload_to, blank=True)
    opinion_at = models.DateTimeField(_("заключение представлено"), null=True, blank=True)

    class Meta:
        ordering = ["item", "id"]
        verbose_name = _("эксперт")
        verbose_name_plural = _("эксперты")
        constraints = [models.UniqueConstraint(fields=["item", "user"], name="expert_unique_user")]

    def __str__(self) -> str:
        return gettext("%(name)s (эксперт)") % {"name": self.user.full_name}


class Dissent(ImmutableRecordModel):
    """Особое мнение члена комиссии, прилагается к протоколу (VGTU §5.4.4)."""

    audit_organization_path = "item__meeting__commission__organization"

    item = models.ForeignKey(
        AgendaItem, verbose_name=_("вопрос повестки"), on_delete=models.CASCADE, related_name="dissents"
    )
    member = models.ForeignKey(
        CommissionMember, verbose_name=_("член комиссии"), on_delete=models.PROTECT, related_name="dissents"
    )
    text = models.TextField(_("особое мнение"))
    at = models.DateTimeField(_("когда"), auto_now_add=True)

    class Meta:
        ordering = ["item", "at"]
        verbose_name = _("особое мнение")
        verbose_name_plural = _("особые мнения")
        constraints = [models.UniqueConstraint(fields=["item", "member"], name="dissent_unique_member")]

    def __str__(self) -> str:
        return gettext("Особое мнение: %(name)s") % {"name": self.member.user.full_name}


class ApproverResolution(ImmutableRecordModel):
    """Резолюция проректора по протоколу с особым мнением: утвердить или вернуть на повторное рассмотрение."""

    audit_organization_path = "meeting__commission__organization"

    meeting = models.OneToOneField(
        Meeting, verbose_name=_("заседание"), on_delete=models.PROTECT, related_name="resolution"
    )
    verdict = models.CharField(_("резолюция"), max_length=20, choices=ApproverVerdict.choices)
    comment = models.TextField(_("комментарий"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("пользователь"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    by_label = models.CharField(_("утверждающий"), max_length=200)
    at = models.DateTimeField(_("когда"), auto_now_add=True)

    class Meta:
        verbose_name = _("резолюция утверждающего")
        verbose_name_plural = _("резолюции утверждающего")

    def __str__(self) -> str:
        return f"{self.get_verdict_display()} ({self.by_label})"
