"""Pages of the trade-secret register (UZ app. 3 §9–16): the register, a regime's keeping page (copies, use orders,
transfer contracts, disclosure, the content's exports), the yearly inventories and their acts."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.base import ContentFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ridbook.accounts.permissions import Action, can, colleagues_of, organization_ids_for, users_who_may
from ridbook.core.errors import DomainError, PermissionDeniedError
from ridbook.organizations.models import Organization
from ridbook.registry.selectors import rids_visible_to
from ridbook.tradesecret import documents, register
from ridbook.tradesecret.choices import CopyState
from ridbook.tradesecret.forms_keeping import (
    CloseForm,
    ContractForm,
    CopyCloseForm,
    CopyForm,
    DiscloseForm,
    EntryForm,
    InventoryOpenForm,
    OrderForm,
)
from ridbook.tradesecret.marking import marking_text, pdf_available
from ridbook.tradesecret.models import AccessGrant, Copy, Inventory, Regime
from ridbook.tradesecret.services import copies as copy_services
from ridbook.tradesecret.services import inventory as inventory_services
from ridbook.tradesecret.services import use as use_services
from ridbook.tradesecret.services.common import regimes_visible_to
from ridbook.tradesecret.services.disclosure import regime_disclose, regime_term

KEEPING_ACTIONS = ("copy", "return", "destroy", "order", "contract", "disclose")
INVENTORY_ACTIONS = ("entry", "close")


def _require_reader(request: HttpRequest) -> None:
    user = request.user
    if not (can(user, Action.TRADE_SECRET_KEEP) or can(user, Action.TRADE_SECRET_APPROVE)):
        raise PermissionDeniedError(_("Реестр коммерческой тайны ведёт подразделение по ИС."))


def _regime(request: HttpRequest, pk: int) -> Regime:
    """404 for a regime the user may not see: its existence is not disclosed."""
    return get_object_or_404(regimes_visible_to(request.user).select_related("rid", "organization"), pk=pk)


def _file(data: bytes, name: str, file_format: str) -> FileResponse:
    response = FileResponse(ContentFile(data), as_attachment=True, filename=name)
    response["Content-Type"] = documents.CONTENT_TYPES[file_format]
    return response


@login_required
def register_list(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    rows = list(register.register_rows(request.user))
    return render(
        request,
        "tradesecret/register.html",
        {"rows": rows, "keep": can(request.user, Action.TRADE_SECRET_KEEP)},
    )


@login_required
def register_export(request: HttpRequest) -> HttpResponseBase:
    _require_reader(request)
    stamp = timezone.localdate().strftime("%Y%m%d")
    return _file(register.register_xlsx(request.user), f"register-{stamp}.xlsx", "xlsx")


# --- a regime's keeping page ----------------------------------------------------------------------------------------


def _keeping_context(request: HttpRequest, regime: Regime, **overrides: Any) -> dict[str, Any]:
    keep = can(request.user, Action.TRADE_SECRET_KEEP, regime.organization)
    today = timezone.localdate()
    listed = AccessGrant.objects.filter(regime=regime, removed_on__isnull=True, added_on__lte=today)
    users = colleagues_of(regime.organization).filter(pk__in=listed.values("user_id"))
    orders = regime.use_orders.all()
    contracts = regime.contracts.all()
    row = register.row_of(register.register_queryset(request.user).get(pk=regime.pk))
    context: dict[str, Any] = {
        "regime": regime,
        "rid": regime.rid,
        "row": row,
        "term": regime_term(regime),
        "marking": marking_text(regime),
        "keep": keep,
        "restricted": regime.is_restricted,
        "copies": regime.copies.select_related("issued_to", "use_order", "contract"),
        "existing": copy_services.existing_copies(regime),
        "orders": orders,
        "contracts": contracts,
        "issued": CopyState.ISSUED,
        "destroyed": CopyState.DESTROYED,
        "pdf": pdf_available(),
        "copy_form": CopyForm(users=users, orders=orders, contracts=contracts, initial={"medium": "paper"}),
        "order_form": OrderForm(heads=users_who_may(Action.TRADE_SECRET_APPROVE, regime.organization)),
        "contract_form": ContractForm(orders=orders),
        "disclose_form": DiscloseForm(initial={"on": today}),
        "close_form": CopyCloseForm(),
        "action_error": None,
    }
    context.update(overrides)
    return context


@login_required
def keeping(request: HttpRequest, pk: int) -> HttpResponse:
    regime = _regime(request, pk)
    return render(request, "tradesecret/keeping.html", _keeping_context(request, regime))


def _keeping_act(request: HttpRequest, regime: Regime, action: str) -> str:
    """Run one action of the keeping page; the success message. Raises DomainError (with the form's errors)."""
    user, post = request.user, request.POST
    if action == "copy":
        ctx = _keeping_context(request, regime)
        form = CopyForm(
            post, users=ctx["copy_form"].fields["issued_to"].queryset, orders=ctx["orders"], contracts=ctx["contracts"]
        )
        data = _valid(form)
        copy = copy_services.copy_make(
            actor=user,
            regime=regime,
            medium=data["medium"],
            purpose=data["purpose"],
            issued_to=data["issued_to"],
            issued_to_name=data["issued_to_name"],
            use_order=data["use_order"],
            contract=data["contract"],
            made_on=data["made_on"],
            request=request,
        )
        return _("Изготовлен экземпляр № %(n)s.") % {"n": copy.number}
    if action in ("return", "destroy"):
        data = _valid(CopyCloseForm(post))
        copy = get_object_or_404(regime.copies.all(), pk=data["copy"])
        if action == "return":
            copy_services.copy_return(actor=user, copy=copy, on=data["on"], request=request)
            return _("Возврат экземпляра № %(n)s записан.") % {"n": copy.number}
        copy_services.copy_destroy(actor=user, copy=copy, on=data["on"], note=data["note"], request=request)
        return _("Уничтожение экземпляра № %(n)s записано.") % {"n": copy.number}
    if action == "order":
        data = _valid(OrderForm(post, heads=colleagues_of(regime.organization)))
        order = use_services.order_record(actor=user, regime=regime, **data)
        return _("%(order)s записано.") % {"order": order}
    if action == "contract":
        data = _valid(ContractForm(post, orders=regime.use_orders.all()))
        contract = use_services.contract_record(actor=user, regime=regime, request=request, **data)
        return _("%(contract)s записан.") % {"contract": contract}
    data = _valid(DiscloseForm(post))
    regime_disclose(actor=user, regime=regime, on=data["on"], details=data["details"])
    return _("Раскрытие записано: режим прекращён.")


def _valid(form: Any) -> dict[str, Any]:
    if not form.is_valid():
        errors = " ".join(str(e) for errs in form.errors.values() for e in errs)
        raise DomainError(_("Данные не сохранены: %(errors)s") % {"errors": errors}, code="invalid")
    return dict(form.cleaned_data)


@login_required
@require_POST
def keeping_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in KEEPING_ACTIONS:
        raise Http404
    regime = _regime(request, pk)
    try:
        message = _keeping_act(request, regime, action)
    except PermissionDeniedError:
        raise
    except DomainError as exc:
        regime.refresh_from_db()
        context = _keeping_context(request, regime, action_error=exc.message)
        return render(request, "tradesecret/keeping.html", context, status=400)
    messages.success(request, message)
    return redirect(reverse("tradesecret:keeping", args=[regime.pk]))


@login_required
def copy_document(request: HttpRequest, pk: int, copy: int, ext: str) -> HttpResponseBase:
    regime = _regime(request, pk)
    the_copy: Copy = get_object_or_404(regime.copies.select_related("regime__rid", "regime__organization"), pk=copy)
    try:
        data, name = documents.copy_document(actor=request.user, copy=the_copy, file_format=ext, request=request)
    except PermissionDeniedError:
        raise
    except DomainError as exc:
        context = _keeping_context(request, regime, action_error=exc.message)
        return render(request, "tradesecret/keeping.html", context, status=400)
    return _file(data, name, ext)


@login_required
def content_export(request: HttpRequest, pk: int, ext: str) -> HttpResponseBase:
    """The content's export, for a person of the access list who may see the RID."""
    regime = get_object_or_404(
        Regime.objects.select_related("rid", "organization").filter(rid__in=rids_visible_to(request.user)), pk=pk
    )
    if ext not in documents.EXPORT_FORMATS:
        raise Http404
    try:
        data, name = documents.content_export(actor=request.user, regime=regime, file_format=ext, request=request)
    except PermissionDeniedError:
        raise
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(reverse("tradesecret:keeping", args=[regime.pk]))
    return _file(data, name, ext)


# --- inventories ----------------------------------------------------------------------------------------------------


def _inventories(user: Any) -> Any:
    ids = organization_ids_for(user, Action.TRADE_SECRET_KEEP)
    qs = Inventory.objects.select_related("organization")
    return qs if ids is None else qs.filter(organization_id__in=ids)


def _open_organizations(user: Any) -> Any:
    """The legal entities where the user keeps trade secrets: an inventory is one per legal entity and year."""
    ids = organization_ids_for(user, Action.TRADE_SECRET_KEEP)
    orgs = Organization.objects.all() if ids is None else Organization.objects.filter(pk__in=ids)
    return Organization.objects.filter(pk__in=[o.pk for o in orgs.select_related("parent") if o.is_legal_entity])


@login_required
def inventories(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Action.TRADE_SECRET_KEEP):
        raise PermissionDeniedError(_("Учёт коммерческой тайны ведёт подразделение по ИС."))
    organizations = _open_organizations(request.user).distinct().order_by("name")
    form = InventoryOpenForm(organizations=organizations, initial={"year": timezone.localdate().year})
    error = None
    if request.method == "POST":
        form = InventoryOpenForm(request.POST, organizations=organizations)
        try:
            data = _valid(form)
            inventory = inventory_services.inventory_open(
                actor=request.user, organization=data["organization"], year=data["year"]
            )
        except PermissionDeniedError:
            raise
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("Учёт начат."))
            return redirect(reverse("tradesecret:inventory", args=[inventory.pk]))
    context = {"inventories": _inventories(request.user), "form": form, "action_error": error}
    return render(request, "tradesecret/inventories.html", context, status=400 if error else 200)


def _inventory(request: HttpRequest, pk: int) -> Inventory:
    return get_object_or_404(_inventories(request.user), pk=pk)


def _inventory_context(inventory: Inventory, **overrides: Any) -> dict[str, Any]:
    entries = inventory.entries.select_related("regime__rid", "checked_by")
    context = {
        "inventory": inventory,
        "entries": [(e, _entry_form(e)) for e in entries],
        "close_form": CloseForm(initial={"on": timezone.localdate()}),
        "due": inventory_services.act_due(inventory.year),
        "action_error": None,
    }
    context.update(overrides)
    return context


def _entry_form(entry: Any) -> EntryForm:
    """One row's form: its fields sit in the table's cells, tied to the row's ``<form>`` by the ``form`` attribute."""
    form = EntryForm(initial=_entry_initial(entry), auto_id=f"e{entry.pk}_%s")
    for field in form.fields.values():
        field.widget.attrs["form"] = f"entry-{entry.pk}"
    return form


def _entry_initial(entry: Any) -> dict[str, Any]:
    return {
        "entry": entry.pk,
        "creation_place": entry.creation_place,
        "storage_place": entry.storage_place,
        "use_place": entry.use_place,
        "result": entry.result if entry.result != "pending" else "found",
        "note": entry.note,
    }


@login_required
def inventory_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inventory = _inventory(request, pk)
    return render(request, "tradesecret/inventory.html", _inventory_context(inventory))


@login_required
@require_POST
def inventory_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in INVENTORY_ACTIONS:
        raise Http404
    inventory = _inventory(request, pk)
    try:
        if action == "entry":
            entry = get_object_or_404(inventory.entries.all(), pk=request.POST.get("entry") or 0)
            data = _valid(EntryForm(request.POST))
            data.pop("entry")
            inventory_services.entry_record(actor=request.user, entry=entry, **data)
            message = _("Строка учёта сохранена.")
        else:
            data = _valid(CloseForm(request.POST))
            inventory_services.inventory_close(actor=request.user, inventory=inventory, **data)
            message = _("Учёт закрыт актом.")
    except PermissionDeniedError:
        raise
    except DomainError as exc:
        inventory.refresh_from_db()
        return render(
            request, "tradesecret/inventory.html", _inventory_context(inventory, action_error=exc.message), status=400
        )
    messages.success(request, message)
    return redirect(reverse("tradesecret:inventory", args=[inventory.pk]))


@login_required
def inventory_act(request: HttpRequest, pk: int) -> HttpResponseBase:
    inventory = _inventory(request, pk)
    if not inventory.act_docx:
        raise Http404
    with inventory.act_docx.open("rb") as stored:
        data = stored.read()
    return _file(data, f"act-{inventory.year}-{inventory.act_number}.docx", "docx")
