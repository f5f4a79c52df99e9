"""Роли пользователей. Роль всегда назначается в организации и действует в ней и во всех нижестоящих."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    AUTHOR = "author", _("автор (изобретатель, НПР)")
    IP_OFFICER = "ip_officer", _("специалист по ИС")
    IP_HEAD = "ip_head", _("руководитель подразделения по ИС")
    COMMISSION_SECRETARY = "commission_secretary", _("секретарь комиссии")
    COMMISSION_CHAIR = "commission_chair", _("председатель комиссии")
    COMMISSION_MEMBER = "commission_member", _("член комиссии")
    EXPERT = "expert", _("эксперт")
    APPROVER = "approver", _("проректор по научной работе (утверждающий)")
    ACCOUNTANT = "accountant", _("бухгалтер")
    DIVISION_HEAD = "division_head", _("руководитель подразделения")
    AUDITOR = "auditor", _("аудитор (только чтение)")
    ADMINISTRATOR = "administrator", _("администратор")
