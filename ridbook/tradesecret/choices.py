"""Choices of the trade-secret regime (SPEC §10; UZ appendix 3; RZD §4.3.6)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegimeState(models.TextChoices):
    """Where the regime of one RID stands (UZ app. 3 §5–7, §20; RZD §4.3.6)."""

    PRESENTED = "presented", _("представлен научно-техническому совету")
    COUNCIL_DECIDED = "council_decided", _("решение совета ждёт утверждения")
    REFUSED = "refused", _("совет (или руководитель) не установил режим")
    IN_FORCE = "in_force", _("режим коммерческой тайны действует")
    ENDED = "ended", _("режим прекращён")


# the regime restricts the content from the moment the RID is presented until it ends: a RID under consideration
# is already confidential (UZ app. 3 §3: no access without the holder's consent)
RESTRICTED_STATES = frozenset({RegimeState.PRESENTED, RegimeState.COUNCIL_DECIDED, RegimeState.IN_FORCE})


class CouncilOutcome(models.TextChoices):
    PROTECT = "protect", _("охранять в режиме коммерческой тайны")
    REFUSE = "refuse", _("не устанавливать режим")


class StorageMedium(models.TextChoices):
    """UZ app. 3 §8: a durable medium."""

    PAPER = "paper", _("печатная форма на бумажном носителе")
    ELECTRONIC = "electronic", _("электронная форма (диск, флэш-карта и др.)")
    OTHER = "other", _("иная форма долговременного хранения")


class EndReason(models.TextChoices):
    DISCLOSED = "disclosed", _("раскрытие (разглашение) сведений")
    LIFTED = "lifted", _("режим снят решением руководителя")


class CopyState(models.TextChoices):
    """Where a numbered copy of the RID is (UZ app. 3 §9: copies only as needed, a limited number)."""

    ISSUED = "issued", _("выдана")
    RETURNED = "returned", _("возвращена")
    DESTROYED = "destroyed", _("уничтожена")


# the copies that exist: a returned copy is back in the IP department's keeping but still exists and counts against
# the limit; only a destroyed one frees its place (see services/copies.py)
EXISTING_COPY_STATES = frozenset({CopyState.ISSUED, CopyState.RETURNED})


class InventoryResult(models.TextChoices):
    """What the yearly inventory found for one RID (UZ app. 3 §11–12)."""

    PENDING = "pending", _("не проверено")
    FOUND = "found", _("в наличии")
    MISSING = "missing", _("не обнаружено")
