"""«Сроки»: every deadline the user may see, with filters, pages and the address of his calendar feed."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ridbook.accounts.permissions import Action, require
from ridbook.deadlines.feed import build_feed
from ridbook.deadlines.registry import STATE_LABELS, URGENCY_LABELS, Deadline, State
from ridbook.deadlines.selectors import DeadlineFilterForm, deadlines_filtered
from ridbook.deadlines.services import feed_token_of, renew_feed_token, user_of_feed

PAGE_SIZE = 50


@login_required
@require_GET
def deadlines_page(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.DEADLINES_VIEW)
    today = timezone.localdate()
    form = DeadlineFilterForm(request.GET)
    params = form.cleaned_data if form.is_valid() else {}
    found = deadlines_filtered(request.user, today, params)
    page = Paginator(found.items, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(d, d.status(today), _status_label(d, today)) for d in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    token = feed_token_of(request.user)
    feed_url = request.build_absolute_uri(reverse("deadlines:feed", args=[token.token])) if token else ""
    return render(
        request,
        "deadlines/list.html",
        {
            "form": form,
            "found": found,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "today": today,
            "feed_url": feed_url,
            "feed_token": token,
        },
    )


def _status_label(d: Deadline, today: date) -> str:
    if not d.is_open():
        return str(STATE_LABELS[State.DONE])
    return str(URGENCY_LABELS[d.urgency(today)])


@login_required
@require_POST
def feed_renew(request: HttpRequest) -> HttpResponse:
    had = feed_token_of(request.user) is not None
    renew_feed_token(actor=request.user)
    if had:
        messages.success(request, _("Адрес календаря обновлён: прежний больше не работает, подпишитесь на новый."))
    else:
        messages.success(request, _("Адрес календаря создан: добавьте его в календарь как подписку."))
    return redirect("deadlines:list")


@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """No sign-in: the secret address is the key. A wrong or renewed one is «not found»."""
    user = user_of_feed(token)
    if user is None:
        raise Http404
    response = HttpResponse(build_feed(user, timezone.localdate()), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="ridbook-deadlines.ics"'
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response
