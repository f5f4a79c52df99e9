"""Pages of protection documents: the document (holders, status history, expiry, the fee schedule with payments),
a new document of a RID, and the fee table of the IP department."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ridbook.accounts.permissions import Action, can, organization_ids_for, require
from ridbook.core.errors import DomainError, PermissionDeniedError
from ridbook.core.files import attachment
from ridbook.organizations.models import Organization
from ridbook.organizations.selectors import organization_policy
from ridbook.protection import engines, services
from ridbook.protection.choices import PAID_STATES, FeeBasis, FeeState, HolderKind
from ridbook.protection.forms import DocumentForm, EventForm, FeeRateForm, HolderFormSet, PaymentForm, UpkeepForm
from ridbook.protection.models import FeeDueRecord, ProtectionDocument
from ridbook.registry.choices import RidKind
from ridbook.registry.selectors import rids_visible_to


def _document(request: HttpRequest, pk: int) -> ProtectionDocument:
    """404 for a document the user may not see: its existence is not disclosed."""
    return get_object_or_404(services.documents_visible_to(request.user), pk=pk)


def _context(request: HttpRequest, document: ProtectionDocument, **overrides: Any) -> dict[str, Any]:
    today = timezone.localdate()
    fees = list(document.fees.prefetch_related("payments"))
    for fee in fees:
        payable = fee.state == FeeState.DUE and fee.grace_until >= today and fee.amount is not None
        # shown on the row: the «внести платёж» form, the amount to pay, fees before ridbook tracked them
        fee.__dict__["payable"] = payable
        fee.__dict__["to_pay"] = sum(engines_amount(fee, today)) if payable else None
        tracked = document.fees_tracked_from
        fee.__dict__["before_tracking"] = bool(tracked and fee.due_on < tracked)
    manage = can(request.user, Action.FILING_MANAGE, document.organization)
    context = {
        "document": document,
        "rid": document.rid,
        "holders": document.holders.all(),
        "holder_formset": HolderFormSet(
            prefix="holders",
            initial=[
                {"kind": h.kind, "name": h.name, "inn": h.inn, "ogrn": h.ogrn, "share": h.share}
                for h in document.holders.all()
            ],
        )
        if manage
        else None,
        "events": document.events.all(),
        "expiry": services.document_expiry(document),
        "fees": fees,
        "upkeep": document.upkeep.all(),
        "manage": manage,
        "payment_form": PaymentForm(initial={"paid_on": today}),
        "event_form": EventForm(initial={"on": today}),
        "decide": can(request.user, Action.MEETING_MANAGE, document.organization),
        "upkeep_form": UpkeepForm(initial={"year": today.year, "on": today}),
        "paid_states": PAID_STATES,
        "action_error": None,
        "payment_due": None,
    }
    context.update(overrides)
    return context


def engines_amount(fee: FeeDueRecord, on: Any) -> tuple[Any, Any]:
    amount, surcharge = services.amount_to_pay(fee, on)
    return (amount or 0, surcharge)


@login_required
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document(request, pk)
    return render(request, "protection/detail.html", _context(request, document))


def _act(
    request: HttpRequest, document: ProtectionDocument, action: Any, success: str, **overrides: Any
) -> HttpResponse:
    try:
        action()
    except PermissionDeniedError:
        raise
    except DomainError as exc:
        document.refresh_from_db()
        context = _context(request, document, action_error=exc.message, **overrides)
        return render(request, "protection/detail.html", context, status=400)
    messages.success(request, success)
    return redirect(reverse("protection:detail", args=[document.pk]))


def _refused(request: HttpRequest, document: ProtectionDocument, error_lists: Any) -> HttpResponse:
    """The document's page again with the form's errors (nothing was written)."""
    errors = " ".join(str(e) for errs in error_lists for e in errs)
    return render(request, "protection/detail.html", _context(request, document, action_error=errors), status=400)


@login_required
@require_POST
def document_pay(request: HttpRequest, pk: int) -> HttpResponse:
    """«Внести платёж»: a payment of one row of the schedule."""
    document = _document(request, pk)
    form = PaymentForm(request.POST)
    if not form.is_valid():
        return _refused(request, document, form.errors.values())
    due = get_object_or_404(document.fees.all(), pk=form.cleaned_data["due"])
    data = form.cleaned_data
    return _act(
        request,
        document,
        lambda: services.payment_record(
            actor=request.user,
            due=due,
            paid_on=data["paid_on"],
            amount=data["amount"],
            order_number=data["order_number"],
        ),
        _("Платёж внесён."),
        payment_due=due.pk,
    )


def _posted(request: HttpRequest, pk: int, form_class: Any, action: Any, success: str) -> HttpResponse:
    """A form of the document's page: its refusal shown on the page (nothing written), else
    ``action(document, data)`` run (``_act``)."""
    document = _document(request, pk)
    form = form_class(request.POST)
    if not form.is_valid():
        return _refused(request, document, form.errors.values())
    data = form.cleaned_data
    return _act(request, document, lambda: action(document, data), success)


@login_required
@require_POST
def document_event(request: HttpRequest, pk: int) -> HttpResponse:
    return _posted(
        request,
        pk,
        EventForm,
        lambda document, data: services.event_record(
            actor=request.user,
            document=document,
            kind=data["kind"],
            on=data["on"],
            years=data.get("years") or 0,
            note=data.get("note", ""),
        ),
        _("Событие записано."),
    )


@login_required
@require_POST
def document_upkeep(request: HttpRequest, pk: int) -> HttpResponse:
    """The commission's yearly keep-in-force decision, recorded by its secretary."""
    return _posted(
        request,
        pk,
        UpkeepForm,
        lambda document, data: services.upkeep_decide(
            actor=request.user,
            document=document,
            year=data["year"],
            keep=data["keep"],
            on=data["on"],
            label=data.get("label", ""),
        ),
        _("Решение о поддержании записано."),
    )


@login_required
@require_POST
def document_holders(request: HttpRequest, pk: int) -> HttpResponse:
    """The holders and their shares, replaced as a whole (shares sum to 100 %, ИНН/ОГРН by their check digits)."""
    document = _document(request, pk)
    require(request.user, Action.FILING_MANAGE, document.organization)
    formset = HolderFormSet(request.POST, prefix="holders")
    if not formset.is_valid():
        rows = [errs for form in formset.forms for errs in form.errors.values()]
        return _refused(request, document, rows or [formset.non_form_errors()])
    holders = [
        services.HolderInput(
            share=row["share"],
            kind=row.get("kind") or HolderKind.ORGANIZATION,
            name=row.get("name", ""),
            inn=row.get("inn", "").strip(),
            ogrn=row.get("ogrn", "").strip(),
        )
        for row in formset.cleaned_data
        if row and row.get("share") is not None
    ]
    return _act(
        request,
        document,
        lambda: services.holders_set(actor=request.user, document=document, holders=holders),
        _("Правообладатели записаны."),
    )


@login_required
def document_scan(request: HttpRequest, pk: int) -> FileResponse:
    document = _document(request, pk)
    if not document.scan:
        raise Http404
    return attachment(document.scan)


def _granted_application(request: HttpRequest, rid: Any) -> Any:
    """The application named by ``?application=`` (or the form's hidden field): one of this RID's, visible to the
    user; another's or an unknown one is a 404, never a silent blank form."""
    raw = request.POST.get("application") or request.GET.get("application")
    if not raw:
        return None
    from ridbook.prosecution.selectors import applications_visible_to

    if not str(raw).isdigit():
        raise Http404
    return get_object_or_404(applications_visible_to(request.user), pk=int(raw), rid=rid)


@login_required
def document_new(request: HttpRequest, rid: int) -> HttpResponse:
    """A patent or certificate of a RID decided for filing (or protected already)."""
    found = get_object_or_404(rids_visible_to(request.user).select_related("organization"), pk=rid)
    require(request.user, Action.FILING_MANAGE, found.organization)
    initial: dict[str, Any] = {"kind": found.kind}
    application = _granted_application(request, found)
    if application is not None:  # from a granted application: its number, dates and kind
        from ridbook.prosecution.services import document_initial

        initial.update(document_initial(application))
    form = DocumentForm(request.POST or None, request.FILES or None, initial=initial)
    error = None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if application is not None:
            data["application_ref"] = f"prosecution.application:{application.pk}"
        scan = data.pop("scan")
        kind, number = data.pop("kind"), data.pop("number")
        try:
            document = services.document_create(
                actor=request.user, rid=found, kind=kind, number=number, scan=scan, **data
            )
        except PermissionDeniedError:
            raise
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("Охранный документ внесён."))
            return redirect(reverse("protection:detail", args=[document.pk]))
    context = {"rid": found, "form": form, "action_error": error, "application": application}
    return render(request, "protection/new.html", context)


def _fee_organizations(user: Any) -> list[Organization]:
    ids = organization_ids_for(user, Action.FILING_MANAGE)
    qs = Organization.objects.all() if ids is None else Organization.objects.filter(pk__in=ids)
    return list(qs.order_by("short_name"))


@login_required
def fee_table(request: HttpRequest) -> HttpResponse:
    """The fee table: the policy's rows (verified or not, with their source) and the rows the IP department added,
    with a form to add a dated row with its source."""
    organizations = _fee_organizations(request.user)
    if not organizations:
        require(request.user, Action.FILING_MANAGE)  # refused with the reason
    chosen = request.POST.get("organization") or request.GET.get("organization")
    by_id = {str(o.pk): o for o in organizations}
    if chosen and chosen not in by_id:
        raise Http404  # not one of the user's organizations: as if it did not exist
    organization = by_id.get(chosen or "", organizations[0])
    form = FeeRateForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            services.fee_rate_add(actor=request.user, organization=organization, **form.cleaned_data)
        except PermissionDeniedError:
            raise
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("Строка таблицы пошлин добавлена."))
            return redirect(reverse("protection:fees") + f"?organization={organization.pk}")
    rules = engines.fee_rules(organization_policy(organization))
    kinds, bases = dict(RidKind.choices), dict(FeeBasis.choices)
    policy_rows = [
        {"row": r, "kind": kinds.get(r.kind, r.kind), "basis": bases.get(r.basis, r.basis)}
        for r in (getattr(rules, "rows", ()) or ())
    ]
    return render(
        request,
        "protection/fees.html",
        {
            "organization": organization,
            "organizations": organizations,
            "policy_rows": policy_rows,
            "rates": services.fee_rates_visible_to(request.user).select_related("organization"),
            "form": form,
            "action_error": error,
        },
    )
