"""Vocabularies of protection documents (SPEC §5, §13; VGTU §6.9–6.11)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ridbook.registry.choices import RidKind


class DocumentKind(models.TextChoices):
    INVENTION = "invention", _("патент на изобретение")
    UTILITY_MODEL = "utility_model", _("патент на полезную модель")
    INDUSTRIAL_DESIGN = "industrial_design", _("патент на промышленный образец")
    SOFTWARE = "software", _("свидетельство о регистрации программы для ЭВМ")
    DATABASE = "database", _("свидетельство о регистрации базы данных")


# the document's kind is the RID kind of the rule engines (rules.terms / rules.fees)
RID_KIND = {
    DocumentKind.INVENTION: RidKind.INVENTION,
    DocumentKind.UTILITY_MODEL: RidKind.UTILITY_MODEL,
    DocumentKind.INDUSTRIAL_DESIGN: RidKind.INDUSTRIAL_DESIGN,
    DocumentKind.SOFTWARE: RidKind.SOFTWARE,
    DocumentKind.DATABASE: RidKind.DATABASE,
}
PATENTS = {DocumentKind.INVENTION, DocumentKind.UTILITY_MODEL, DocumentKind.INDUSTRIAL_DESIGN}


class DocumentStatus(models.TextChoices):
    IN_FORCE = "in_force", _("действует")
    LAPSED = "lapsed", _("прекратил действие: не уплачена пошлина")
    EXPIRED = "expired", _("срок действия истёк")
    SURRENDERED = "surrendered", _("досрочно прекращён по заявлению правообладателя")
    INVALIDATED = "invalidated", _("признан недействительным")
    RESTORED = "restored", _("действие восстановлено")


ALIVE = {DocumentStatus.IN_FORCE, DocumentStatus.RESTORED}


class EventKind(models.TextChoices):
    LAPSED = "lapsed", _("прекращение действия (не уплачена пошлина)")
    RESTORED = "restored", _("восстановление действия")
    SURRENDERED = "surrendered", _("отказ от патента (досрочное прекращение)")
    INVALIDATED = "invalidated", _("признание недействительным")
    RENEWED = "renewed", _("продление срока (промышленный образец)")
    EXTENDED = "extended", _("продление срока (изобретение)")
    EXPIRED = "expired", _("истечение срока действия")


# the status an event leaves the document in (renewals and extensions leave it as it is)
EVENT_STATUS = {
    EventKind.LAPSED: DocumentStatus.LAPSED,
    EventKind.RESTORED: DocumentStatus.RESTORED,
    EventKind.SURRENDERED: DocumentStatus.SURRENDERED,
    EventKind.INVALIDATED: DocumentStatus.INVALIDATED,
    EventKind.EXPIRED: DocumentStatus.EXPIRED,
}


class FeeState(models.TextChoices):
    DUE = "due", _("к уплате")
    PAID = "paid", _("уплачена")
    PAID_IN_GRACE = "paid_in_grace", _("уплачена в льготный срок с доплатой")
    UNPAID = "unpaid", _("не уплачена")
    NOT_NEEDED = "not_needed", _("не требуется (решено не поддерживать)")


PAID_STATES = {FeeState.PAID, FeeState.PAID_IN_GRACE}


class FeeBasis(models.TextChoices):
    YEAR = "year", _("год действия")
    PERIOD5 = "period5", _("пятилетний период")


class HolderKind(models.TextChoices):
    ORGANIZATION = "organization", _("организация")
    OTHER = "other", _("иное лицо")
