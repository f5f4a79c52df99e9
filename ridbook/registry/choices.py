"""Choices of the registry: one class per vocabulary (SPEC §1–3, TPU appendix 2, RZD §5–7)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class RidKind(models.TextChoices):
    INVENTION = "invention", _("изобретение")
    UTILITY_MODEL = "utility_model", _("полезная модель")
    INDUSTRIAL_DESIGN = "industrial_design", _("промышленный образец")
    SOFTWARE = "software", _("программа для ЭВМ")
    DATABASE = "database", _("база данных")
    KNOW_HOW = "know_how", _("секрет производства (ноу-хау)")
    OTHER = "other", _("иной РИД")


PATENTABLE_KINDS = {RidKind.INVENTION, RidKind.UTILITY_MODEL, RidKind.INDUSTRIAL_DESIGN}

# RZD §4.3.1: what is not protected as this kind — shown as a checklist when the kind is chosen.
NOT_PROTECTED: dict[str, list[StrOrPromise]] = {
    RidKind.INVENTION: [
        _("открытия, научные теории и математические методы"),
        _("решения, касающиеся только внешнего вида изделий"),
        _("правила и методы игр, интеллектуальной или хозяйственной деятельности"),
        _("программы для ЭВМ как таковые"),
        _("решения, заключающиеся только в представлении информации"),
    ],
    RidKind.UTILITY_MODEL: [
        _("решения, касающиеся только внешнего вида изделий"),
        _("топологии интегральных микросхем"),
        _("не устройство (способы, вещества не охраняются как полезная модель)"),
    ],
    RidKind.INDUSTRIAL_DESIGN: [
        _("решения, обусловленные исключительно технической функцией изделия"),
        _("объекты архитектуры (кроме малых архитектурных форм)"),
        _("объекты неустойчивой формы из жидких, газообразных, сыпучих веществ"),
    ],
}


class Origin(models.TextChoices):
    SERVICE = "service", _("служебный")
    INITIATIVE = "initiative", _("инициативный")


class InitiativeAgreement(models.TextChoices):
    NONE = "none", _("не требуется (ресурсы работодателя не использовались)")
    FREE_LICENCE = "free_licence", _("безвозмездная лицензия работодателю на весь срок")
    REIMBURSEMENT = "reimbursement", _("договор о возмещении затрат работодателя")


class RidStatus(models.TextChoices):
    DRAFT = "draft", _("черновик уведомления")
    SUBMITTED = "submitted", _("уведомление подано")
    UNDER_CHECK = "under_check", _("проверка комплектности")
    RETURNED = "returned", _("возвращено на доработку")
    ACCEPTED = "accepted", _("принято, в очереди на комиссию")
    FILING = "filing", _("решено: подать заявку / зарегистрировать")
    TRADE_SECRET = "trade_secret", _("решено: режим коммерческой тайны")
    WAIVED = "waived", _("права переданы авторам (отказ организации)")
    PROTECTED = "protected", _("получен охранный документ")


EDITABLE_BY_AUTHORS = {RidStatus.DRAFT, RidStatus.RETURNED}
DECIDED = {RidStatus.FILING, RidStatus.TRADE_SECRET, RidStatus.WAIVED, RidStatus.PROTECTED}


class ProtectionForm(models.TextChoices):
    """Форма правовой охраны, выбранная комиссией (VGTU §6.7, RZD §7.1)."""

    INVENTION = "invention", _("патент на изобретение")
    UTILITY_MODEL = "utility_model", _("патент на полезную модель")
    INDUSTRIAL_DESIGN = "industrial_design", _("патент на промышленный образец")
    SOFTWARE = "software", _("государственная регистрация программы для ЭВМ")
    DATABASE = "database", _("государственная регистрация базы данных")
    TRADE_SECRET = "trade_secret", _("режим коммерческой тайны (ноу-хау)")


class RightsHolder(models.TextChoices):
    ORGANIZATION = "organization", _("организация (работодатель)")
    AUTHORS = "authors", _("авторы (организация отказалась от права)")


class FundingKind(models.TextChoices):
    STATE_CONTRACT = "state_contract", _("государственный контракт")
    AGREEMENT = "agreement", _("соглашение")
    CONTRACT = "contract", _("договор")
    STATE_ASSIGNMENT = "state_assignment", _("государственное задание «Наука»")
    RSF = "rsf", _("грант РНФ")
    RFBR = "rfbr", _("грант РФФИ")
    UMNIK = "umnik", _("грант УМНИК")
    OTHER = "other", _("иное")
    NONE = "none", _("без внешнего финансирования")


class RightsAllocation(models.TextChoices):
    CUSTOMER = "customer", _("заказчик")
    CUSTOMER_EXECUTOR = "customer_executor", _("заказчик и исполнитель")
    EXECUTOR = "executor", _("исполнитель")
    EXECUTOR_COEXECUTOR = "executor_coexecutor", _("исполнитель и соисполнитель")
    COEXECUTOR = "coexecutor", _("соисполнитель")


class InvolvementBasis(models.TextChoices):
    JOB_DUTIES = "job_duties", _("трудовые обязанности")
    CIVIL_CONTRACT = "civil_contract", _("гражданско-правовой договор")
    OTHER = "other", _("иное")


class StateSecretOutcome(models.TextChoices):
    NO_SECRET_PUBLISHABLE = (
        "no_secret_publishable",
        _("не содержит государственной тайны, может быть опубликовано открыто"),
    )
    NO_SECRET_NOT_PUBLISHABLE = (
        "no_secret_not_publishable",
        _("не содержит государственной тайны, открыто публиковать нельзя"),
    )
    CONTAINS_SECRET = "contains_secret", _("содержит сведения, составляющие государственную тайну")


class ExportControlOutcome(models.TextChoices):
    NO_SIMILARITY = "no_similarity", _("признаков сходства с позициями контрольных списков не выявлено")
    SIMILAR_NOT_MATCHING = (
        "similar_not_matching",
        _("выявлено сходство, но объект не соответствует позициям (с обоснованием)"),
    )
    SIMILARITY_FOUND = "similarity_found", _("выявлено сходство с позициями контрольных списков (с перечнем позиций)")


class ExportControlConclusion(models.TextChoices):
    NO_PERMITS = "no_permits", _("разрешительные документы не требуются")
    PERMITS_NEEDED = "permits_needed", _("требуется получение разрешительных документов")


# Six control lists of the export-control act (TPU form).
CONTROL_LISTS = [
    ("chemical_1284", _("химикаты, оборудование и технологии (Указ № 1284)")),
    ("nuclear_1285", _("ядерные материалы, оборудование и технологии (Указ № 1285)")),
    ("dual_use_nuclear_1286", _("оборудование и материалы двойного назначения в ядерных целях (Указ № 1286)")),
    ("microorganisms_1287", _("микроорганизмы, токсины, оборудование и технологии (Указ № 1287)")),
    ("missiles_1288", _("оборудование, материалы и технологии для ракетного оружия (Указ № 1288)")),
    ("dual_use_1299", _("товары и технологии двойного назначения (Указ № 1299)")),
]


class PacketDocumentKind(models.TextChoices):
    NOTICE = "notice", _("уведомление о создании РИД")
    APPLICATION_FORM = "application_form", _("заявление (форма заявки в патентное ведомство)")
    PATENT_SEARCH_REPORT = "patent_search_report", _("отчёт о патентных исследованиях (ГОСТ Р 15.011-96)")
    COAUTHORS_AGREEMENT = "coauthors_agreement", _("соглашение соавторов о распределении вознаграждения")


class NoticeEventKind(models.TextChoices):
    CREATED = "created", _("черновик создан")
    SUBMITTED = "submitted", _("уведомление подано")
    RECEIVED = "received", _("получено подразделением по ИС")
    RETURNED = "returned", _("возвращено на доработку")
    ACCEPTED = "accepted", _("принято и поставлено в очередь комиссии")
    COMMISSION_DECISION = "commission", _("решение комиссии по ИС")
