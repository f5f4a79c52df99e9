"""Printing the content of a trade-secret RID (UZ app. 3 §9: every access to the RID and its copies is journaled).

Two ways a listed user prints: the print version (``content_print``: the marking on top of every printed page, the
browser's print dialog opened; journaled as «печать» when the page is made), and the browser's own print of the
content page (Ctrl+P: the page's ``beforeprint`` handler posts to ``content_printed``, journaled as «печать» with the
channel «page.print»). A refused attempt is journaled as every refusal of the gate."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from ridbook.tradesecret import access, journal
from ridbook.tradesecret.marking import marking_text
from ridbook.tradesecret.models import JournalAction
from ridbook.tradesecret.views import _refused, _regime, _rid


@never_cache
@login_required
@require_GET
def content_print(request: HttpRequest, pk: int) -> HttpResponse:
    rid = _rid(request, pk)
    regime = _regime(rid)
    try:
        data = access.read_content(
            request.user,
            regime,
            action=JournalAction.PRINT,
            channel="print",
            request=request,
            what=_("версия для печати"),
        )
    except access.ContentRefused as exc:
        return _refused(request, rid, regime, exc.message)
    fields = data["rid"]
    keywords = fields.get("keywords") or []
    return render(
        request,
        "tradesecret/content_print.html",
        {
            "rid": rid,
            "marking": marking_text(regime),
            "fields": {**fields, "keywords": ", ".join(keywords) if isinstance(keywords, list) else keywords},
            "authors": [
                (a.person.full_name, data["authorships"].get(str(a.person_id), ""))
                for a in rid.authorships.select_related("person")
            ],
        },
    )


@login_required
@require_POST
def content_printed(request: HttpRequest, pk: int) -> HttpResponse:
    """The content page was sent to the printer by the browser (its ``beforeprint`` event): journaled."""
    rid = _rid(request, pk)
    regime = _regime(rid)
    decision = access.may_read_content(request.user, rid)  # nothing is decrypted: the page is printed already
    journal.record(
        regime,
        user=request.user,
        action=JournalAction.PRINT,
        granted=decision.allowed,
        what=_("страница"),
        channel="page.print",
        request=request,
        reason=decision.reason,
    )
    return HttpResponse(status=204 if decision.allowed else 403)
