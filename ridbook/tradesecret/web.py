"""What the registry's pages ask of the regime (imported lazily by ``registry.views``, ``registry.api``): the banner,
the note «доступ ограничен», the links, and the refusal journaled for a path that would have shown the content."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ridbook.accounts.permissions import Action, can
from ridbook.registry.choices import RidStatus
from ridbook.registry.models import PacketDocument, Rid
from ridbook.tradesecret import access
from ridbook.tradesecret.marking import marking_text
from ridbook.tradesecret.models import Regime
from ridbook.tradesecret.services.disclosure import disclosure_note
from ridbook.tradesecret.services.regime import may_present_again

# the RID page's tabs that would show content: the summary (fields 2, 4–6, 17), the authors (the creative
# contribution), the documents (the packet files, the export-control act's description); and the notice form
CONTENT_TABS = {"summary", "authors", "documents", "edit"}
TAB_LABELS = {
    "summary": _("страница РИД: сведения"),
    "authors": _("страница РИД: авторы"),
    "documents": _("страница РИД: документы"),
    "edit": _("форма уведомления"),
}


def rid_context(request: Any, rid: Rid, tab: str) -> dict[str, Any] | None:
    """The regime's part of the RID page; None when there is nothing to say."""
    user = request.user
    regime = Regime.objects.filter(rid_id=rid.pk).first()
    if regime is None:
        may_present = rid.status == RidStatus.TRADE_SECRET or rid.trade_secret
        if may_present and can(user, Action.TRADE_SECRET_PRESENT, rid.organization):
            return {"present_url": reverse("tradesecret:present", args=[rid.pk]), "restricted": False}
        return None
    restricted = regime.is_restricted
    listed = restricted and access.is_listed(user, regime)
    if restricted and not listed and tab in CONTENT_TABS:
        access.refuse(user, regime, channel="page", what=str(TAB_LABELS.get(tab, tab)), request=request)
    return {
        "regime": regime,
        "ended_note": disclosure_note(regime),  # a regime ended by disclosure: the right ended too (RZD §4.3.6)
        "restricted": restricted,
        "listed": listed,
        "marking": marking_text(regime) if restricted else "",
        "regime_url": reverse("tradesecret:regime", args=[rid.pk]),
        "content_url": reverse("tradesecret:content", args=[rid.pk]) if listed else "",
        "note": str(access.RESTRICTED_NOTE),
        # a refused or lifted regime may be presented again (services.regime.present)
        "again_url": reverse("tradesecret:present", args=[rid.pk])
        if may_present_again(regime) and can(user, Action.TRADE_SECRET_PRESENT, rid.organization)
        else "",
    }


def sealed_document(document: PacketDocument) -> bool:
    return hasattr(document, "sealed")
