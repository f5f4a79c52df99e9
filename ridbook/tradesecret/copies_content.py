"""The content of a trade-secret RID for the paths of the keeping (copies, exports, documents), read through the
one access gate (:func:`ridbook.tradesecret.access.read_content`: the access list at this moment, the journal)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ridbook.tradesecret import access
from ridbook.tradesecret.models import Regime


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


def content_for(
    user: Any,
    regime: Regime,
    *,
    action: str,
    channel: str,
    request: Any = None,
    what: str = "",
    copy_number: int | None = None,
) -> Content:
    """The RID's content for ``user``, checked against the access list at this moment and journaled (granted or
    refused: :class:`ridbook.tradesecret.access.ContentRefused`)."""
    payload = access.read_content(
        user, regime, action=action, channel=channel, request=request, what=what, copy_number=copy_number
    )
    fields = payload["rid"]
    return Content(
        title=regime.rid.title,
        abstract=fields.get("abstract", ""),
        purpose=fields.get("purpose", ""),
        uses=fields.get("uses", ""),
    )
