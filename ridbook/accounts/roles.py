"""Роли пользователей. Роль всегда назначается в организации и действует в ней и во всех нижестоящих."""

from django.db import models


class Role(models.TextChoices):
    AUTHOR = "author", "автор (изобретатель, НПР)"
    IP_OFFICER = "ip_officer", "специалист по ИС"
    IP_HEAD = "ip_head", "руководитель подразделения по ИС"
    COMMISSION_SECRETARY = "commission_secretary", "секретарь комиссии"
    COMMISSION_CHAIR = "commission_chair", "председатель комиссии"
    COMMISSION_MEMBER = "commission_member", "член комиссии"
    EXPERT = "expert", "эксперт"
    APPROVER = "approver", "проректор по научной работе (утверждающий)"
    ACCOUNTANT = "accountant", "бухгалтер"
    DIVISION_HEAD = "division_head", "руководитель подразделения"
    AUDITOR = "auditor", "аудитор (только чтение)"
    ADMINISTRATOR = "administrator", "администратор"
