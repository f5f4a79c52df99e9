"""Vocabularies of the IP commission (SPEC §4; VGTU §5–6, appendix 1; RZD §7.1; UZ reward commission)."""

from django.db import models


class MemberRole(models.TextChoices):
    CHAIR = "chair", "председатель комиссии"
    DEPUTY = "deputy", "заместитель председателя комиссии"
    SECRETARY = "secretary", "секретарь"
    MEMBER = "member", "член комиссии"


MEMBER_ROLE_ORDER = {MemberRole.CHAIR: 0, MemberRole.DEPUTY: 1, MemberRole.SECRETARY: 2, MemberRole.MEMBER: 3}


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", "запланировано"
    NOTIFIED = "notified", "уведомления разосланы"
    OPEN = "open", "идёт заседание"
    CLOSED = "closed", "голосование завершено, протокол на подписи"
    SIGNED = "signed", "протокол подписан"
    CANCELLED = "cancelled", "отменено"


class ItemKind(models.TextChoices):
    APPLICATION = "application", "рассмотрение заявки (уведомления о создании РИД)"
    MAINTENANCE = "maintenance", "поддержание охранного документа в силе"
    VALUATION = "valuation", "утверждение балансовой стоимости"


class Outcome(models.TextChoices):
    """What the commission resolves on an item (VGTU §5.2, §6.7–6.8, §6.12; RZD §7.1)."""

    FILE = "file", "подать заявку / зарегистрировать за счёт организации"
    TRADE_SECRET = "trade_secret", "охранять в режиме коммерческой тайны"
    NOT_EXPEDIENT = "not_expedient", "нецелесообразно: организация отказывается от права в пользу авторов"
    POSTPONE = "postpone", "перенести рассмотрение на следующее заседание"
    REVISE = "revise", "вернуть автору на доработку с повторным рассмотрением"
    KEEP_IN_FORCE = "keep_in_force", "поддерживать охранный документ в силе"
    LET_LAPSE = "let_lapse", "не поддерживать охранный документ (прекратить действие)"
    VALUATION_APPROVED = "valuation_approved", "утвердить балансовую стоимость"


OUTCOMES_BY_KIND: dict[str, tuple[str, ...]] = {
    ItemKind.APPLICATION: (
        Outcome.FILE,
        Outcome.TRADE_SECRET,
        Outcome.NOT_EXPEDIENT,
        Outcome.POSTPONE,
        Outcome.REVISE,
    ),
    ItemKind.MAINTENANCE: (Outcome.KEEP_IN_FORCE, Outcome.LET_LAPSE, Outcome.POSTPONE),
    ItemKind.VALUATION: (Outcome.VALUATION_APPROVED, Outcome.POSTPONE),
}
OUTCOMES_WITH_REASON = {Outcome.POSTPONE, Outcome.REVISE}


class Absence(models.TextChoices):
    NONE = "", "присутствует"
    EXCUSED = "excused", "отсутствует по уважительной причине"
    UNEXCUSED = "unexcused", "отсутствует без уважительной причины"


class VoteChoice(models.TextChoices):
    FOR = "for", "за"
    AGAINST = "against", "против"
    ABSTAIN = "abstain", "воздержался"


class ApproverVerdict(models.TextChoices):
    APPROVED = "approved", "решение комиссии утверждено"
    RE_REVIEW = "re_review", "возвращено на повторное рассмотрение с привлечением экспертов"
