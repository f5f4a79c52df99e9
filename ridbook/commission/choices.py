"""Vocabularies of the IP commission (SPEC §4; VGTU §5–6, appendix 1; RZD §7.1; UZ reward commission)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

VGTU = "ВГТУ"  # i18n: ru-only (a legal reference keeps its Russian abbreviation: «ВГТУ 6.6» in every language)
"""The policy code in the references to VGTU's regulation printed in messages («… (ВГТУ 6.6)»)."""


class MemberRole(models.TextChoices):
    CHAIR = "chair", _("председатель комиссии")
    DEPUTY = "deputy", _("заместитель председателя комиссии")
    SECRETARY = "secretary", _("секретарь")
    MEMBER = "member", _("член комиссии")


MEMBER_ROLE_ORDER = {MemberRole.CHAIR: 0, MemberRole.DEPUTY: 1, MemberRole.SECRETARY: 2, MemberRole.MEMBER: 3}


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("запланировано")
    NOTIFIED = "notified", _("уведомления разосланы")
    OPEN = "open", _("идёт заседание")
    CLOSED = "closed", _("голосование завершено, протокол на подписи")
    SIGNED = "signed", _("протокол подписан")
    CANCELLED = "cancelled", _("отменено")


class ItemKind(models.TextChoices):
    APPLICATION = "application", _("рассмотрение заявки (уведомления о создании РИД)")
    MAINTENANCE = "maintenance", _("поддержание охранного документа в силе")
    VALUATION = "valuation", _("утверждение балансовой стоимости")


class Outcome(models.TextChoices):
    """What the commission resolves on an item (VGTU §5.2, §6.7–6.8, §6.12; RZD §7.1)."""

    FILE = "file", _("подать заявку / зарегистрировать за счёт организации")
    TRADE_SECRET = "trade_secret", _("охранять в режиме коммерческой тайны")
    NOT_EXPEDIENT = "not_expedient", _("нецелесообразно: организация отказывается от права в пользу авторов")
    POSTPONE = "postpone", _("перенести рассмотрение на следующее заседание")
    REVISE = "revise", _("вернуть автору на доработку с повторным рассмотрением")
    KEEP_IN_FORCE = "keep_in_force", _("поддерживать охранный документ в силе")
    LET_LAPSE = "let_lapse", _("не поддерживать охранный документ (прекратить действие)")
    VALUATION_APPROVED = "valuation_approved", _("утвердить балансовую стоимость")


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
    NONE = "", _("присутствует")
    EXCUSED = "excused", _("отсутствует по уважительной причине")
    UNEXCUSED = "unexcused", _("отсутствует без уважительной причины")


class VoteChoice(models.TextChoices):
    FOR = "for", _("за")
    AGAINST = "against", _("против")
    ABSTAIN = "abstain", _("воздержался")


class ApproverVerdict(models.TextChoices):
    APPROVED = "approved", _("решение комиссии утверждено")
    RE_REVIEW = "re_review", _("возвращено на повторное рассмотрение с привлечением экспертов")
