"""Choices of the registry: one class per vocabulary (SPEC §1–3, TPU appendix 2, RZD §5–7)."""

from django.db import models


class RidKind(models.TextChoices):
    INVENTION = "invention", "изобретение"
    UTILITY_MODEL = "utility_model", "полезная модель"
    INDUSTRIAL_DESIGN = "industrial_design", "промышленный образец"
    SOFTWARE = "software", "программа для ЭВМ"
    DATABASE = "database", "база данных"
    KNOW_HOW = "know_how", "секрет производства (ноу-хау)"
    OTHER = "other", "иной РИД"


PATENTABLE_KINDS = {RidKind.INVENTION, RidKind.UTILITY_MODEL, RidKind.INDUSTRIAL_DESIGN}

# RZD §4.3.1: what is not protected as this kind — shown as a checklist when the kind is chosen.
NOT_PROTECTED: dict[str, list[str]] = {
    RidKind.INVENTION: [
        "открытия, научные теории и математические методы",
        "решения, касающиеся только внешнего вида изделий",
        "правила и методы игр, интеллектуальной или хозяйственной деятельности",
        "программы для ЭВМ как таковые",
        "решения, заключающиеся только в представлении информации",
    ],
    RidKind.UTILITY_MODEL: [
        "решения, касающиеся только внешнего вида изделий",
        "топологии интегральных микросхем",
        "не устройство (способы, вещества не охраняются как полезная модель)",
    ],
    RidKind.INDUSTRIAL_DESIGN: [
        "решения, обусловленные исключительно технической функцией изделия",
        "объекты архитектуры (кроме малых архитектурных форм)",
        "объекты неустойчивой формы из жидких, газообразных, сыпучих веществ",
    ],
}


class Origin(models.TextChoices):
    SERVICE = "service", "служебный"
    INITIATIVE = "initiative", "инициативный"


class InitiativeAgreement(models.TextChoices):
    NONE = "none", "не требуется (ресурсы работодателя не использовались)"
    FREE_LICENCE = "free_licence", "безвозмездная лицензия работодателю на весь срок"
    REIMBURSEMENT = "reimbursement", "договор о возмещении затрат работодателя"


class RidStatus(models.TextChoices):
    DRAFT = "draft", "черновик уведомления"
    SUBMITTED = "submitted", "уведомление подано"
    UNDER_CHECK = "under_check", "проверка комплектности"
    RETURNED = "returned", "возвращено на доработку"
    ACCEPTED = "accepted", "принято, в очереди на комиссию"
    FILING = "filing", "решено: подать заявку / зарегистрировать"
    TRADE_SECRET = "trade_secret", "решено: режим коммерческой тайны"
    WAIVED = "waived", "права переданы авторам (отказ организации)"


EDITABLE_BY_AUTHORS = {RidStatus.DRAFT, RidStatus.RETURNED}
DECIDED = {RidStatus.FILING, RidStatus.TRADE_SECRET, RidStatus.WAIVED}


class ProtectionForm(models.TextChoices):
    """Форма правовой охраны, выбранная комиссией (VGTU §6.7, RZD §7.1)."""

    INVENTION = "invention", "патент на изобретение"
    UTILITY_MODEL = "utility_model", "патент на полезную модель"
    INDUSTRIAL_DESIGN = "industrial_design", "патент на промышленный образец"
    SOFTWARE = "software", "государственная регистрация программы для ЭВМ"
    DATABASE = "database", "государственная регистрация базы данных"
    TRADE_SECRET = "trade_secret", "режим коммерческой тайны (ноу-хау)"


class RightsHolder(models.TextChoices):
    ORGANIZATION = "organization", "организация (работодатель)"
    AUTHORS = "authors", "авторы (организация отказалась от права)"


class FundingKind(models.TextChoices):
    STATE_CONTRACT = "state_contract", "государственный контракт"
    AGREEMENT = "agreement", "соглашение"
    CONTRACT = "contract", "договор"
    STATE_ASSIGNMENT = "state_assignment", "государственное задание «Наука»"
    RSF = "rsf", "грант РНФ"
    RFBR = "rfbr", "грант РФФИ"
    UMNIK = "umnik", "грант УМНИК"
    OTHER = "other", "иное"
    NONE = "none", "без внешнего финансирования"


class RightsAllocation(models.TextChoices):
    CUSTOMER = "customer", "заказчик"
    CUSTOMER_EXECUTOR = "customer_executor", "заказчик и исполнитель"
    EXECUTOR = "executor", "исполнитель"
    EXECUTOR_COEXECUTOR = "executor_coexecutor", "исполнитель и соисполнитель"
    COEXECUTOR = "coexecutor", "соисполнитель"


class InvolvementBasis(models.TextChoices):
    JOB_DUTIES = "job_duties", "трудовые обязанности"
    CIVIL_CONTRACT = "civil_contract", "гражданско-правовой договор"
    OTHER = "other", "иное"


class StateSecretOutcome(models.TextChoices):
    NO_SECRET_PUBLISHABLE = (
        "no_secret_publishable",
        "не содержит государственной тайны, может быть опубликовано открыто",
    )
    NO_SECRET_NOT_PUBLISHABLE = (
        "no_secret_not_publishable",
        "не содержит государственной тайны, открыто публиковать нельзя",
    )
    CONTAINS_SECRET = "contains_secret", "содержит сведения, составляющие государственную тайну"


class ExportControlOutcome(models.TextChoices):
    NO_SIMILARITY = "no_similarity", "признаков сходства с позициями контрольных списков не выявлено"
    SIMILAR_NOT_MATCHING = (
        "similar_not_matching",
        "выявлено сходство, но объект не соответствует позициям (с обоснованием)",
    )
    SIMILARITY_FOUND = "similarity_found", "выявлено сходство с позициями контрольных списков (с перечнем позиций)"


class ExportControlConclusion(models.TextChoices):
    NO_PERMITS = "no_permits", "разрешительные документы не требуются"
    PERMITS_NEEDED = "permits_needed", "требуется получение разрешительных документов"


# Six control lists of the export-control act (TPU form).
CONTROL_LISTS = [
    ("chemical_1284", "химикаты, оборудование и технологии (Указ № 1284)"),
    ("nuclear_1285", "ядерные материалы, оборудование и технологии (Указ № 1285)"),
    ("dual_use_nuclear_1286", "оборудование и материалы двойного назначения в ядерных целях (Указ № 1286)"),
    ("microorganisms_1287", "микроорганизмы, токсины, оборудование и технологии (Указ № 1287)"),
    ("missiles_1288", "оборудование, материалы и технологии для ракетного оружия (Указ № 1288)"),
    ("dual_use_1299", "товары и технологии двойного назначения (Указ № 1299)"),
]


class PacketDocumentKind(models.TextChoices):
    NOTICE = "notice", "уведомление о создании РИД"
    APPLICATION_FORM = "application_form", "заявление (форма заявки в патентное ведомство)"
    PATENT_SEARCH_REPORT = "patent_search_report", "отчёт о патентных исследованиях (ГОСТ Р 15.011-96)"
    COAUTHORS_AGREEMENT = "coauthors_agreement", "соглашение соавторов о распределении вознаграждения"


class NoticeEventKind(models.TextChoices):
    CREATED = "created", "черновик создан"
    SUBMITTED = "submitted", "уведомление подано"
    RECEIVED = "received", "получено подразделением по ИС"
    RETURNED = "returned", "возвращено на доработку"
    ACCEPTED = "accepted", "принято и поставлено в очередь комиссии"
    COMMISSION_DECISION = "commission", "решение комиссии по ИС"
