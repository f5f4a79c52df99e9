"""The content of a trade-secret RID for the paths of this part (copies, exports, documents).

:func:`content_for` is a stand-in: **to be replaced by access.read_content at the merge** (the access gate of the
other part of issue 14 reads the sealed content; its signature is the same, so the merge is one import)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from ridbook.core.errors import PermissionDeniedError
from ridbook.tradesecret import journal
from ridbook.tradesecret.models import AccessGrant, Regime


@dataclass(frozen=True)
class Content:
    title: str
    abstract: str
    purpose: str
    uses: str

    def sections(self) -> list[tuple[str, str]]:
        """(label, text) in the order of the notice (TPU appendix 2)."""
        return [
            ("Наименование", self.title),  # i18n: ru-only (the labels of the Russian document)
            ("Назначение", self.purpose),  # i18n: ru-only (as above)
            ("Реферат", self.abstract),  # i18n: ru-only (as above)
            ("Возможные области использования", self.uses),  # i18n: ru-only (as above)
        ]


def has_open_grant(user: Any, regime: Regime) -> bool:
    if user is None or getattr(user, "pk", None) is None:
        return False
    today = timezone.localdate()
    return AccessGrant.objects.filter(
        regime=regime, user_id=user.pk, added_on__lte=today, removed_on__isnull=True
    ).exists()


def content_for(user: Any, regime: Regime, *, action: str, channel: str, request: Any = None) -> Content:
    """The RID's content for ``user``, checked against the access list at this moment and journaled (granted or
    refused). To be replaced by access.read_content at the merge."""
    if not has_open_grant(user, regime):
        reason = _("нет в списке допуска")
        journal.record(regime, user=user, action=action, granted=False, channel=channel, request=request, reason=reason)
        raise PermissionDeniedError(
            _("Доступ к содержанию РИД закрыт: вас нет в списке допуска."), details={"reason": "access_list"}
        )
    journal.record(regime, user=user, action=action, granted=True, channel=channel, request=request)
    rid = regime.rid
    return Content(title=rid.title, abstract=rid.abstract, purpose=rid.purpose, uses=rid.uses)
