"""Pages of the regime: the RID's regime (presentation, the council's decision, the approval with the access list,
adding and removing a person), its content (listed users only, journaled), the access journal (IP department and
auditors: who, when, what — never the content)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from ridbook.accounts.permissions import Action, can, colleagues_of, restrict
from ridbook.core.errors import DomainError, PermissionDeniedError
from ridbook.core.middleware import error_response
from ridbook.registry.models import PacketDocument, Rid
from ridbook.registry.selectors import rids_visible_to
from ridbook.tradesecret import access, sealing
from ridbook.tradesecret.forms import ApproveForm, ContentForm, CouncilForm, GrantForm, PresentForm
from ridbook.tradesecret.marking import marking_text
from ridbook.tradesecret.models import AccessGrant, JournalAction, JournalEntry, Regime
from ridbook.tradesecret.services import access_list
from ridbook.tradesecret.services import regime as services


def _clear_errors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A rule's refusal outside a form (no regime yet, no key configured) is a clear page, not a traceback."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except PermissionDeniedError:
            raise
        except DomainError as exc:
            status = exc.status if exc.status in (400, 404, 503) else 400
            return error_response(request, status, exc.code, exc.message)

    return wrapped


def _rid(request: HttpRequest, pk: int) -> Rid:
    """404 for a RID the user may not see: its existence is not disclosed."""
    return get_object_or_404(rids_visible_to(request.user).select_related("organization"), pk=pk)


def _regime(rid: Rid) -> Regime:
    regime = Regime.objects.filter(rid=rid).select_related("organization", "presented_by", "approved_by").first()
    if regime is None:
        raise DomainError(_("РИД не представлен научно-техническому совету."), code="not_found", status=404)
    return regime


def _users(regime: Regime) -> Any:
    return colleagues_of(regime.organization).order_by("last_name", "first_name")


def _may_see_list(user: Any, regime: Regime) -> bool:
    org = regime.organization
    return (
        can(user, Action.TRADE_SECRET_KEEP, org)
        or can(user, Action.TRADE_SECRET_APPROVE, org)
        or can(user, Action.TRADE_SECRET_JOURNAL_VIEW, org)
        or access.is_listed(user, regime)
    )


def _context(request: HttpRequest, rid: Rid, regime: Regime, **overrides: Any) -> dict[str, Any]:
    user, org = request.user, regime.organization
    state = regime.state
    context: dict[str, Any] = {
        "rid": rid,
        "regime": regime,
        "marking": marking_text(regime) if regime.is_restricted else "",
        "listed": regime.is_restricted and access.is_listed(user, regime),
        "grants": AccessGrant.objects.filter(regime=regime).select_related("user", "added_by", "removed_by")
        if _may_see_list(user, regime)
        else None,
        "council_form": CouncilForm() if state == "presented" and can(user, Action.TRADE_SECRET_KEEP, org) else None,
        "approve_form": ApproveForm(
            users=_users(regime),
            initial={
                "access_list": list(
                    AccessGrant.objects.filter(regime=regime, removed_on__isnull=True).values_list("user_id", flat=True)
                ),
                "holder_name": regime.holder_name,
                "approved_on": timezone.localdate(),
            },
        )
        if state == "council_decided" and can(user, Action.TRADE_SECRET_APPROVE, org)
        else None,
        "grant_form": GrantForm(users=_users(regime))
        if regime.is_restricted and can(user, Action.TRADE_SECRET_APPROVE, org)
        else None,
        "journal": can(user, Action.TRADE_SECRET_JOURNAL_VIEW, org),
        "action_error": None,
    }
    context.update(overrides)
    return context


def _page(request: HttpRequest, rid: Rid, regime: Regime, status: int = 200, **overrides: Any) -> HttpResponse:
    return render(request, "tradesecret/regime.html", _context(request, rid, regime, **overrides), status=status)


def _run(
    request: HttpRequest, rid: Rid, regime: Regime, action: Any, done: str, form_name: str, form: Any
) -> HttpResponse:
    try:
        action()
    except PermissionDeniedError:
        raise
    except DomainError as exc:
        return _page(request, rid, regime, status=400, action_error=exc.message, **{form_name: form})
    messages.success(request, done)
    return redirect("tradesecret:regime", pk=rid.pk)


@login_required
@_clear_errors
def regime_detail(request: HttpRequest, pk: int) -> HttpResponse:
    rid = _rid(request, pk)
    regime = Regime.objects.filter(rid=rid).first()
    if regime is None:
        return redirect("tradesecret:present", pk=rid.pk)
    return _page(request, rid, regime)


@login_required
@_clear_errors
def present(request: HttpRequest, pk: int) -> HttpResponse:
    rid = _rid(request, pk)
    existing = Regime.objects.filter(rid=rid).first()
    if existing is not None and not services.may_present_again(existing):
        return redirect("tradesecret:regime", pk=rid.pk)
    allowed = can(request.user, Action.TRADE_SECRET_PRESENT, rid.organization)
    form = PresentForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            services.present(
                actor=request.user,
                rid=rid,
                commercial_value=form.cleaned_data["commercial_value"],
                presented_on=form.cleaned_data["presented_on"],
            )
        except PermissionDeniedError:
            raise
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("РИД представлен научно-техническому совету; содержание зашифровано."))
            return redirect("tradesecret:regime", pk=rid.pk)
    return render(
        request, "tradesecret/present.html", {"rid": rid, "form": form, "allowed": allowed, "action_error": error}
    )


def _posted(request: HttpRequest, pk: int, form_name: str, make_form: Any, action: Any, done: str) -> HttpResponse:
    """A form of the regime's page: its refusal shown on the page (nothing written), else ``action(regime, data)``
    run (``_run``)."""
    rid = _rid(request, pk)
    regime = _regime(rid)
    form = make_form(regime)
    if not form.is_valid():
        return _page(request, rid, regime, status=400, **{form_name: form})
    data = form.cleaned_data
    return _run(request, rid, regime, lambda: action(regime, data), done, form_name, form)


@login_required
@_clear_errors
@require_POST
def council(request: HttpRequest, pk: int) -> HttpResponse:
    return _posted(
        request,
        pk,
        "council_form",
        lambda regime: CouncilForm(request.POST),
        lambda regime, data: services.record_council_decision(
            actor=request.user,
            regime=regime,
            outcome=data["council_outcome"],
            protocol_number=data["council_protocol_number"],
            decided_on=data["council_decided_on"],
        ),
        _("Решение научно-технического совета внесено."),
    )


def _approval(data: dict[str, Any]) -> services.Approval:
    return services.Approval(
        approved=data["approved"],
        approved_on=data["approved_on"],
        order_number=data["order_number"],
        access_list=tuple(data["access_list"]),
        storage_place=data["storage_place"],
        storage_medium=data["storage_medium"],
        copy_limit=data["copy_limit"],
        holder_name=data["holder_name"],
        holder_address=data["holder_address"],
    )


@login_required
@_clear_errors
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _posted(
        request,
        pk,
        "approve_form",
        lambda regime: ApproveForm(request.POST, users=_users(regime)),
        lambda regime, data: services.approve(actor=request.user, regime=regime, approval=_approval(data)),
        _("Решение об установлении режима записано."),
    )


@login_required
@_clear_errors
@require_POST
def grant(request: HttpRequest, pk: int) -> HttpResponse:
    return _posted(
        request,
        pk,
        "grant_form",
        lambda regime: GrantForm(request.POST, users=_users(regime)),
        lambda regime, data: access_list.grant(
            actor=request.user, regime=regime, user=data["user"], on=data["on"], reason=data["reason"]
        ),
        _("Пользователь включён в список допуска."),
    )


@login_required
@_clear_errors
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    rid = _rid(request, pk)
    regime = _regime(rid)
    user_id = request.POST.get("user", "")
    target = get_object_or_404(_users(regime), pk=int(user_id) if user_id.isdigit() else 0)
    return _run(
        request,
        rid,
        regime,
        lambda: access_list.revoke(
            actor=request.user, regime=regime, user=target, reason=request.POST.get("reason", "")
        ),
        _("Допуск прекращён."),
        "grant_form",
        GrantForm(users=_users(regime)),
    )


def _refused(request: HttpRequest, rid: Rid, regime: Regime, message: str) -> HttpResponse:
    return render(request, "tradesecret/refused.html", {"rid": rid, "regime": regime, "message": message}, status=403)


@never_cache  # the content is never kept by a browser or a proxy
@login_required
@_clear_errors
def content(request: HttpRequest, pk: int) -> HttpResponse:
    """The decrypted content: every opening journaled; a refusal journaled and answered 403."""
    rid = _rid(request, pk)
    regime = _regime(rid)
    if request.method == "POST":
        form = ContentForm(request.POST)
        if form.is_valid():
            try:
                access.edit_content(request.user, regime, form.cleaned_data, request=request)
            except access.ContentRefused as exc:
                return _refused(request, rid, regime, exc.message)
            messages.success(request, _("Содержание сохранено (зашифровано)."))
            return redirect("tradesecret:content", pk=rid.pk)
    try:
        data = access.read_content(request.user, regime, action=JournalAction.VIEW, channel="page", request=request)
    except access.ContentRefused as exc:
        return _refused(request, rid, regime, exc.message)
    fields = data["rid"]
    initial = {f: fields.get(f, "") for f in sealing.RID_CONTENT_FIELDS}
    initial["keywords"] = ", ".join(fields.get("keywords", []) or [])
    authors = [
        (a.person.full_name, data["authorships"].get(str(a.person_id), ""))
        for a in rid.authorships.select_related("person")
    ]
    files = [d for d in PacketDocument.objects.filter(rid=rid) if hasattr(d, "sealed")]
    return render(
        request,
        "tradesecret/content.html",
        {
            "rid": rid,
            "regime": regime,
            "marking": marking_text(regime),
            "fields": initial,
            "authors": authors,
            "export_control": data["export_control"].get("description", ""),
            "commercial_value": data.get("commercial_value", ""),
            "files": files,
            "form": ContentForm(initial=initial) if regime.is_restricted else None,
        },
    )


@never_cache  # the content is never kept by a browser or a proxy
@login_required
@_clear_errors
@require_GET
def content_text(request: HttpRequest, pk: int) -> HttpResponse:
    """The content as text, for a listed user: the marking is its first line; journaled as an export."""
    rid = _rid(request, pk)
    regime = _regime(rid)
    try:
        data = access.read_content(
            request.user, regime, action=JournalAction.EXPORT, channel="export", request=request, what="TXT"
        )
    except access.ContentRefused as exc:
        return _refused(request, rid, regime, exc.message)
    fields = data["rid"]
    lines = [marking_text(regime), "", f"{rid.number} {rid.title}", ""]
    for field in sealing.RID_CONTENT_FIELDS:
        value = fields.get(field, "")
        if isinstance(value, list):
            value = ", ".join(value)
        label = getattr(Rid._meta.get_field(field), "verbose_name", field)
        lines += [str(label), str(value or "—"), ""]
    response = HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(rid.number + '.txt')}"
    return response


def sealed_file_response(request: HttpRequest, document: PacketDocument, channel: str = "page") -> HttpResponse:
    """A sealed packet file through the gate (``registry.views.packet_file`` and the commission's materials hand it
    here)."""
    try:
        name, data = access.read_file(
            request.user, document, action=JournalAction.DOWNLOAD, channel=channel, request=request
        )
    except access.ContentRefused as exc:
        regime = document.sealed.regime
        return _refused(request, document.rid, regime, exc.message)
    response = HttpResponse(data, content_type="application/octet-stream")
    add_never_cache_headers(response)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@login_required
@_clear_errors
@require_GET
def journal_page(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """The access journal (of one RID, or of every RID the user may oversee): who, when, what, granted or refused."""
    entries = restrict(JournalEntry.objects.all(), request.user, Action.TRADE_SECRET_JOURNAL_VIEW)
    rid = None
    if pk is not None:
        rid = _rid(request, pk)
        entries = entries.filter(regime__rid=rid)
    if not can(request.user, Action.TRADE_SECRET_JOURNAL_VIEW, rid.organization if rid else None):
        raise PermissionDeniedError(_("Журнал учёта доступа ведёт подразделение по ИС; его читают и аудиторы."))
    if request.GET.get("refused") == "1":
        entries = entries.filter(granted=False)
    page = Paginator(entries.select_related("regime__rid").order_by("-id"), 50).get_page(request.GET.get("page"))
    return render(request, "tradesecret/journal.html", {"rid": rid, "page": page})
