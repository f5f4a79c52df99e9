"""Pages of the registry: the list, the RID page with its workflow, the notice form, the authors editor, a person.

Function views, thin: they read through selectors and filters, write only through ``services``, and turn a
``DomainError`` into messages next to the fields. The same view returns the page or, for htmx, only the fragment.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST

from ridbook.accounts.permissions import Action, can, entity_scope, organization_ids_for, require, restrict
from ridbook.accounts.personal_data import FIELD_LABELS, PersonalField, personal_data_access
from ridbook.audit.presentation import paged
from ridbook.audit.selectors import change_history
from ridbook.core.errors import DomainError, PermissionDeniedError
from ridbook.core.files import attachment
from ridbook.core.forms import apply_domain_error
from ridbook.core.russian import agree
from ridbook.core.uploads import UploadRefused
from ridbook.notifications.services import not_notified_about
from ridbook.organizations.models import Organization
from ridbook.registry import services
from ridbook.registry.choices import (
    EDITABLE_BY_AUTHORS,
    NOT_PROTECTED,
    InvolvementBasis,
    NoticeEventKind,
    PacketDocumentKind,
    RidKind,
    RidStatus,
)
from ridbook.registry.filters import SORT_COLUMNS, PersonFilter, RidFilter, at_risk
from ridbook.registry.forms import (
    ContributorForm,
    ExportControlForm,
    NoticeForm,
    PacketUploadForm,
    PersonForm,
    ReceiveForm,
    ReturnForm,
    StateSecretForm,
    packet_field,
)
from ridbook.registry.models import Person, Rid
from ridbook.registry.paging import list_page
from ridbook.registry.selectors import (
    is_author,
    materials_refusal,
    novelty_risk,
    organizations_seen_whole,
    people_of_rid,
    people_visible_to,
    person_of,
    require_materials_access,
    rid_filing_blockers,
    rids_visible_to,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

TABS = {
    "summary": gettext_lazy("Сведения"),
    "authors": gettext_lazy("Авторы"),
    "funding": gettext_lazy("Финансирование"),
    "documents": gettext_lazy("Документы"),
    "history": gettext_lazy("История"),
}

# tabs of the apps to the right (filing, protection …): (key, label, URL name taking the RID's id). Such a tab is a
# link to the app's own page; the app registers it in its AppConfig.ready.
RID_LINKS: list[tuple[str, Any, str]] = []


def register_rid_link(key: str, label: Any, url_name: str) -> None:
    if all(existing[0] != key for existing in RID_LINKS):
        RID_LINKS.append((key, label, url_name))


def _fragment_or_page(request: HttpRequest, page: str, fragment: str, context: dict[str, Any]) -> HttpResponse:
    template = fragment if getattr(request, "htmx", False) else page
    return render(request, template, context)


def _visible_rid(request: HttpRequest, pk: int) -> Rid:
    """404 for a RID the user may not see: its existence is not disclosed."""
    return get_object_or_404(rids_visible_to(request.user).select_related("organization", "created_by"), pk=pk)


def _draft_organizations(user: Any) -> Any:
    return restrict(Organization.objects.all(), user, Action.NOTICE_DRAFT, organization_field="self").order_by(
        "short_name"
    )


def _person_organizations(rid: Rid) -> QuerySet[Organization]:
    return Organization.objects.filter(pk__in=entity_scope(rid.organization)).order_by("short_name")


def _shown(value: Any) -> str:
    return f"{value:%d.%m.%Y}" if isinstance(value, date) else str(value or "")


def mask_snils(snils: str) -> str:
    return f"***-***-{snils[8:]}" if len(snils) == 14 else ("***" if snils else "")


# --- the list ---------------------------------------------------------------------------------------------------


def _document_statuses(rids: Any) -> None:
    """``rid.document_statuses``: the labels of the statuses of each protected RID's documents (one query a page; the
    documents are the protection app's, reached through the reverse relation)."""
    protected = [rid.pk for rid in rids if rid.status == RidStatus.PROTECTED]
    found: dict[int, list[str]] = {}
    if protected:
        model: Any = Rid._meta.get_field("protection_documents").related_model
        for document in model._default_manager.filter(rid_id__in=protected).order_by("pk"):
            found.setdefault(document.rid_id, []).append(str(document.get_status_display()))
    for rid in rids:
        rid.document_statuses = found.get(rid.pk, [])


@login_required
def rid_list(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.RID_VIEW)
    listed = list_page(request.user, request.GET)
    rid_filter, page = listed.filter, listed.page
    risks = at_risk(page, timezone.localdate())
    _document_statuses(page)
    rows = [(rid, risks.get(rid.pk)) for rid in page]
    sort = request.GET.get("sort", "")
    columns = [
        (key, label, key if sort != key else f"-{key}", sort.lstrip("-") == key, sort.startswith("-"))
        for key, label in SORT_COLUMNS.items()
    ]
    context = {
        "filter": rid_filter,
        "page": page,
        "rows": rows,
        "columns": columns,
        "sort": sort,
        "can_draft": can(request.user, Action.NOTICE_DRAFT),
        "empty_reason": empty_reason(request.user, request.GET) if not rows else "",
        "can_export": _export_module() is not None,
        "import_url": _optional_url("registry:import") if can(request.user, Action.NOTICE_REVIEW) else None,
    }
    return _fragment_or_page(request, "registry/list.html", "registry/_table.html", context)


# the list's own parameters that are not conditions: without a condition an empty list is an empty registry
_NOT_CONDITIONS = {"sort", "page"}


def empty_reason(user: Any, query: Any) -> str:
    """Why the list is empty, in the words of the user's situation (not a search hint where nothing was searched)."""
    if any(value for key, value in query.items() if key not in _NOT_CONDITIONS):
        return _("Ничего не найдено. Измените условия поиска.")
    if organizations_seen_whole(user) != set():  # he sees his organizations' RIDs whole: they have none yet
        return _("В реестре ваших организаций пока нет РИД.")
    if can(user, Action.NOTICE_DRAFT):
        return _("Вам пока не назначены РИД. Создайте уведомление о создании РИД — кнопка «Новое уведомление».")
    return _("Вам пока не назначены РИД: здесь появятся РИД, к работе с которыми вас привлекут.")


def _optional_url(name: str) -> str | None:
    """A link to a page another module may add (the import page): shown only when it exists."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def _export_module() -> Any:
    """``ridbook.registry.io.export`` (another module), or None when it is not installed."""
    try:
        from ridbook.registry.io import export
    except ImportError:
        return None
    return export


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_GET
def rid_export(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """The list as the user filtered and sorted it, in CSV (streamed) or XLSX."""
    require(request.user, Action.RID_VIEW)
    export = _export_module()
    if export is None:
        return render(request, "errors/404.html", {"message": _("Экспорт реестра не установлен.")}, status=404)
    rids = RidFilter(request.GET or None, queryset=rids_visible_to(request.user), user=request.user).qs
    name = f"reestr-rid-{timezone.localdate():%Y-%m-%d}"
    response: HttpResponse | StreamingHttpResponse
    if request.GET.get("format") == "csv":
        response = StreamingHttpResponse(export.csv_stream(rids), content_type="text/csv; charset=utf-8")
        name += ".csv"
    else:
        response = StreamingHttpResponse(export.xlsx_bytes(rids), content_type=XLSX)
        name += ".xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- the RID page -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RidRights:
    edit: bool
    submit: bool
    review: bool
    receive: bool
    return_: bool
    accept: bool
    upload: bool
    audit: bool
    delete: bool = False


def rid_rights(user: Any, rid: Rid) -> RidRights:
    """What the page offers; the services check the same again when the button is pressed."""
    org = rid.organization
    review = can(user, Action.NOTICE_REVIEW, org)
    author = is_author(user, rid)
    editable = rid.status in EDITABLE_BY_AUTHORS
    drafter = can(user, Action.NOTICE_DRAFT, org) and (author or rid.created_by_id == user.pk)
    edit = editable and (review or drafter)
    return RidRights(
        edit=edit,
        submit=editable and author and can(user, Action.NOTICE_SUBMIT, org),
        review=review,
        receive=review and rid.status == RidStatus.SUBMITTED,
        return_=review and rid.status in (RidStatus.SUBMITTED, RidStatus.UNDER_CHECK),
        accept=review and rid.status == RidStatus.UNDER_CHECK,
        upload=edit if editable else review,
        audit=can(user, Action.AUDIT_VIEW, org),
        delete=edit and rid.status == RidStatus.DRAFT,
    )


def _document_kinds() -> dict[str, str]:
    """DOCX documents of ``ridbook.registry.documents`` (another module): {kind: title}, empty without it."""
    try:
        from ridbook.registry.documents import DOCUMENT_KINDS  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return {}
    return {kind: spec if isinstance(spec, str) else str(spec.title) for kind, spec in DOCUMENT_KINDS.items()}


def _detail_context(request: HttpRequest, rid: Rid, tab: str, **overrides: Any) -> dict[str, Any]:
    today = timezone.localdate()
    rights = rid_rights(request.user, rid)
    returned = rid.events.filter(kind=NoticeEventKind.RETURNED).last() if rid.status == RidStatus.RETURNED else None
    context: dict[str, Any] = {
        "rid": rid,
        "tab": tab,
        "tabs": TABS,
        "rid_links": RID_LINKS,
        "protection_documents": list(rid.protection_documents.all()),  # the RID's page follows its documents
        "can_add_document": rid.status in (RidStatus.FILING, RidStatus.PROTECTED)
        and can(request.user, Action.FILING_MANAGE, rid.organization),
        "rights": rights,
        "risk": novelty_risk(rid, today),
        "clearances_missing": _clearances_missing(request.user, rid, rights),
        "returned": returned,
        "not_notified": not_notified_about(f"registry.rid:{rid.pk}") if rights.review else [],
        "receive_form": ReceiveForm(),
        "return_form": ReturnForm(),
        "action_error": None,
    }
    if tab == "authors":
        context["authorships"] = rid.authorships.select_related("person__organization")
        context["contributions"] = rid.contributions.select_related("person__organization")
    elif tab == "documents" and (refusal := materials_refusal(request.user, rid)):
        # on an open agenda the materials are confidential: not even the names of the files or the clearances
        context.update(materials_refused=refusal, present={}, missing=[], upload_form=None, documents={})
    elif tab == "documents":
        by_stage = services.packet_by_stage(rid)
        context["stages"] = [(services.PACKET_STAGES[stage], labels) for stage, labels in by_stage.items()]
        context["generated_notice"] = rid.authorships.exists()
        # the first stage that needs each missing document (the badge says by when)
        needed_by: dict[str, StrOrPromise] = {}
        for stage, labels in by_stage.items():
            for label in labels:
                needed_by.setdefault(label, services.PACKET_STAGES[stage])
        missing = needed_by
        present: dict[str, list[Any]] = {}
        for document in rid.packet.all():  # every file of a kind, the newest first
            present.setdefault(document.kind, []).append(document)
        context["present"] = present
        context["missing"] = missing
        context["blockers"] = rid_filing_blockers(rid)
        context["state_secret"] = getattr(rid, "state_secret", None)  # the reverse one-to-one may be missing
        context["export_control"] = getattr(rid, "export_control", None)
        context["state_secret_form"] = StateSecretForm()
        context["export_form"] = ExportControlForm()
        context["upload_form"] = PacketUploadForm()
        context["documents"] = _document_kinds()
    elif tab == "history":
        context["events"] = rid.events.select_related("actor")
        context["page"] = None  # the change log: for those who may read it, 50 a page
        if rights.audit:
            context["page"], context["entries"] = paged(change_history(instance=rid), request.GET.get("page"))
            context["pager_url"] = reverse("registry:tab", args=[rid.pk, "history"])
    from ridbook.tradesecret.web import rid_context  # the regime (issue 14): the banner, the note, the refusal

    context["trade_secret"] = rid_context(request, rid, tab)
    context.update(overrides)
    if tab == "documents":
        context["packet"] = _packet_rows(context["present"], context["missing"], context["upload_form"])
    return context


def _clearances_missing(user: Any, rid: Rid, rights: RidRights) -> list[str]:
    """An accepted notice without a positive state-secret conclusion or export-control act: the IP department and
    the commission's secretary are warned long before the meeting (the commission cannot decide on filing)."""
    if rid.status != RidStatus.ACCEPTED:
        return []
    if not (rights.review or can(user, Action.MEETING_MANAGE, rid.organization)):
        return []
    return rid_filing_blockers(rid)


def _file_label(document: Any) -> str:
    """The file's name; a trade secret's file (sealed) is named by no more than that (its name is content too)."""
    if hasattr(document, "sealed"):
        return str(_("файл под грифом «коммерческая тайна»"))
    return (document.file.name or "").rsplit("/", 1)[-1]


def _packet_rows(present: dict[str, Any], missing: Any, form: PacketUploadForm | None) -> list[tuple[Any, ...]]:
    """(kind, label, [(document, file name)], still needed (by which stage, or empty), the row's file input) for
    each kind."""
    rows = []
    for kind, label in PacketDocumentKind.choices:
        files = [(doc, _file_label(doc)) for doc in present.get(kind, [])]
        needed = missing.get(label, "") if isinstance(missing, dict) else (_("да") if label in missing else "")
        rows.append((kind, label, files, needed, form.field_for(kind) if form is not None else None))
    return rows


@login_required
def rid_detail(request: HttpRequest, pk: int, tab: str = "summary") -> HttpResponse:
    if tab not in TABS:
        return render(request, "errors/404.html", {"message": _("Страница не найдена.")}, status=404)
    rid = _visible_rid(request, pk)
    context = _detail_context(request, rid, tab)
    return _fragment_or_page(request, "registry/detail.html", f"registry/tab_{tab}.html", context)


def _act(
    request: HttpRequest,
    rid: Rid,
    action: Callable[[], object],
    success: str,
    *,
    tab: str = "summary",
    form_name: str | None = None,
    form: Any = None,
) -> HttpResponse:
    """Run a service; on success redirect to the RID, on a rule violation show the page with the message."""
    try:
        action()
    except PermissionDeniedError:
        raise
    except DomainError as exc:
        overrides: dict[str, Any] = {}
        if form is not None and form_name:
            apply_domain_error(form, exc)
            overrides[form_name] = form
        else:
            overrides["action_error"] = exc.message
        rid.refresh_from_db()
        return render(request, "registry/detail.html", _detail_context(request, rid, tab, **overrides))
    messages.success(request, success)
    url = reverse("registry:detail", args=[rid.pk])
    return redirect(url if tab == "summary" else reverse("registry:tab", args=[rid.pk, tab]))


def _invalid_form(request: HttpRequest, rid: Rid, tab: str, form_name: str, form: Any) -> HttpResponse:
    return render(request, "registry/detail.html", _detail_context(request, rid, tab, **{form_name: form}))


@login_required
@require_POST
def rid_submit(request: HttpRequest, pk: int) -> HttpResponse:
    rid = _visible_rid(request, pk)
    return _act(
        request,
        rid,
        lambda: services.notice_submit(actor=request.user, rid=rid),
        _("Уведомление подано в подразделение по ИС."),
    )


@login_required
@require_POST
def rid_receive(request: HttpRequest, pk: int) -> HttpResponse:
    rid = _visible_rid(request, pk)
    form = ReceiveForm(request.POST)
    if not form.is_valid():
        return _invalid_form(request, rid, "summary", "receive_form", form)
    received_on = form.cleaned_data["received_on"]
    return _act(
        request,
        rid,
        lambda: services.notice_receive(actor=request.user, rid=rid, received_on=received_on),
        _("Уведомление принято к проверке комплектности."),
        form_name="receive_form",
        form=form,
    )


@login_required
@require_POST
def rid_return(request: HttpRequest, pk: int) -> HttpResponse:
    rid = _visible_rid(request, pk)
    form = ReturnForm(request.POST)
    form.is_valid()
    reasons = form.cleaned_data.get("reasons", "")
    return _act(
        request,
        rid,
        lambda: services.notice_return(actor=request.user, rid=rid, reasons=reasons),
        _("Уведомление возвращено на доработку."),
        form_name="return_form",
        form=form,
    )


@login_required
@require_POST
def rid_accept(request: HttpRequest, pk: int) -> HttpResponse:
    rid = _visible_rid(request, pk)
    return _act(
        request,
        rid,
        lambda: services.notice_accept(actor=request.user, rid=rid),
        _("Уведомление принято и поставлено в очередь комиссии."),
    )


@login_required
@require_POST
def packet_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Several files at once (each kind's row, several each); all or nothing (``services.packet_upload_many``)."""
    rid = _visible_rid(request, pk)
    form = PacketUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _invalid_form(request, rid, "documents", "upload_form", form)
    uploads = form.cleaned_data["uploads"]
    try:
        documents = services.packet_upload_many(actor=request.user, rid=rid, files=uploads)
    except PermissionDeniedError:
        raise
    except DomainError as exc:
        _upload_refused(form, exc)
        return _invalid_form(request, rid, "documents", "upload_form", form)
    labels = list(dict.fromkeys(PacketDocumentKind(d.kind).label for d in documents))
    if len(documents) == 1:
        messages.success(request, _("Документ «%(label)s» загружен.") % {"label": labels[0]})
    else:
        messages.success(
            request,
            ngettext(
                "Загружен %(count)d файл: %(labels)s.",
                "Загружено файлов: %(count)d (%(labels)s).",
                len(documents),
            )
            % {"count": len(documents), "labels": ", ".join(f"«{label}»" for label in labels)},
        )
    return redirect("registry:tab", pk=rid.pk, tab="documents")


def _upload_refused(form: PacketUploadForm, exc: DomainError) -> None:
    """The service's message at the top of the form; each refused file's reason also in its kind's row."""
    form.add_error(None, exc.message)
    for refused in exc.details.get("refused", []):
        name = packet_field(refused["kind"])
        if name in form.fields:
            form.add_error(name, _("«%(name)s»: %(reason)s") % {"name": refused["name"], "reason": refused["message"]})


def _clearance(request: HttpRequest, pk: int, form_class: Any, record: Any, done: str, form_name: str) -> HttpResponse:
    """The two clearances (SPEC §3): the same page flow, each with its own form and service."""
    rid = _visible_rid(request, pk)
    require(request.user, Action.NOTICE_REVIEW, rid.organization)
    form = form_class(request.POST)
    if not form.is_valid():
        return _invalid_form(request, rid, "documents", form_name, form)
    return _act(
        request,
        rid,
        lambda: record(actor=request.user, rid=rid, **form.cleaned_data),
        done,
        tab="documents",
        form_name=form_name,
        form=form,
    )


@login_required
@require_POST
def state_secret(request: HttpRequest, pk: int) -> HttpResponse:
    return _clearance(
        request,
        pk,
        StateSecretForm,
        services.state_secret_record,
        _("Заключение о возможности открытого опубликования сохранено."),
        "state_secret_form",
    )


@login_required
@require_POST
def export_control(request: HttpRequest, pk: int) -> HttpResponse:
    return _clearance(
        request,
        pk,
        ExportControlForm,
        services.export_control_record,
        _("Акт экспертизы экспортного контроля сохранён."),
        "export_form",
    )


@login_required
@require_GET
def packet_file(request: HttpRequest, pk: int, doc: int) -> HttpResponseBase:
    """A packet document, to whoever may see the RID (files are not served as public media)."""
    rid = _visible_rid(request, pk)
    require_materials_access(request.user, rid)
    document = get_object_or_404(rid.packet.all(), pk=doc)
    from ridbook.tradesecret.web import sealed_document

    if sealed_document(document):  # a trade secret: only through the access gate (the access list, the journal)
        from ridbook.tradesecret.views import sealed_file_response

        return sealed_file_response(request, document)
    return attachment(document.file)


@login_required
@require_GET
def rid_document(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """A DOCX of the RID, rendered by ``ridbook.registry.documents`` when that module is installed."""
    rid = _visible_rid(request, pk)
    require_materials_access(request.user, rid)
    kinds = _document_kinds()
    if kind not in kinds:
        return render(request, "errors/404.html", {"message": _("Такого документа нет.")}, status=404)
    from ridbook.registry.documents import render_document  # type: ignore[import-not-found,unused-ignore]
    from ridbook.tradesecret.access import note_refusal

    # a trade secret's document is rendered from the register fields only (the content is sealed): the attempt of
    # someone not on the access list is journaled
    note_refusal(request.user, rid, channel="document", what=kind, request=request)

    try:
        content = render_document(rid=rid, kind=kind, viewer=request.user)
    except PermissionDeniedError:
        raise
    except DomainError as exc:
        return render(
            request, "registry/detail.html", _detail_context(request, rid, "documents", action_error=exc.message)
        )
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    filename = f"{rid.number}-{kind}.docx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


# --- the notice form ----------------------------------------------------------------------------------------------


def _editable_rid(request: HttpRequest, pk: int) -> Rid:
    rid = _visible_rid(request, pk)
    if rid.status not in EDITABLE_BY_AUTHORS:
        raise PermissionDeniedError(
            _("Уведомление в статусе «%(status)s» изменить нельзя: его уже рассматривают.")
            % {"status": RidStatus(rid.status).label}
        )
    if not rid_rights(request.user, rid).edit:
        raise PermissionDeniedError(_("Изменять уведомление могут только его авторы и подразделение по ИС."))
    return rid


@login_required
def rid_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete a draft: a page that asks to confirm, then the deletion (journaled)."""
    rid = _editable_rid(request, pk)
    if request.method != "POST":
        return render(request, "registry/delete.html", {"rid": rid})
    try:
        number = services.rid_delete_draft(actor=request.user, rid=rid)
    except PermissionDeniedError:
        raise
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("registry:detail", pk=rid.pk)
    messages.success(request, (_("Черновик %(number)s удалён.") % {"number": number}))
    return redirect("registry:list")


def _initial_organization(user: Any, organizations: Any) -> Organization | None:
    person = person_of(user)
    if person is not None and person.organization_id and organizations.filter(pk=person.organization_id).exists():
        return person.organization
    return organizations.first() if organizations.count() == 1 else None


@login_required
def rid_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    rid = _editable_rid(request, pk) if pk else None
    if rid is None:
        require(request.user, Action.NOTICE_DRAFT)
    organizations = _draft_organizations(request.user)
    initial = {} if rid else {"organization": _initial_organization(request.user, organizations)}
    form = NoticeForm(request.POST or None, instance=rid, initial=initial, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            if rid is None:
                rid = services.rid_create(
                    actor=request.user,
                    organization=data.pop("organization"),
                    kind=data.pop("kind"),
                    title=data.pop("title"),
                    **data,
                )
                messages.success(
                    request, (_("Черновик уведомления %(number)s сохранён. Укажите авторов.") % {"number": rid.number})
                )
                return redirect("registry:authors", pk=rid.pk)
            rid = services.rid_update(actor=request.user, rid=rid, **data)
        except PermissionDeniedError:
            raise
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, (_("Уведомление %(number)s сохранено.") % {"number": rid.number}))
            return redirect("registry:detail", pk=rid.pk)
    from ridbook.tradesecret.web import rid_context  # the regime (issue 14): the banner, the refusal journaled

    context = {
        "form": form,
        "rid": rid,
        "trade_secret": rid_context(request, rid, "edit") if rid else None,
        "not_protected": {kind: (RidKind(kind).label, items) for kind, items in NOT_PROTECTED.items()},
        "validate_url": reverse("registry:validate_rid", args=[rid.pk]) if rid else reverse("registry:validate"),
    }
    return render(request, "registry/notice_form.html", context)


@login_required
@require_POST
def rid_validate(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Inline validation (htmx): the same rules as on save, nothing stored; returns the error lists out of band."""
    rid = _editable_rid(request, pk) if pk else None
    if rid is None:
        require(request.user, Action.NOTICE_DRAFT)
    form = NoticeForm(request.POST, instance=rid, organizations=_draft_organizations(request.user))
    form.is_valid()
    errors = {name: list(messages_) for name, messages_ in form.errors.items()}
    # the services' own rules for a saved RID (draft included), run on the unsaved instance
    for name, message in services.rid_field_errors(form.instance, timezone.localdate()).items():
        errors.setdefault(name, [message])
    touched = set(request.POST.get("touched", "").split(","))
    fields = [(name, errors.get(name, []) if name in touched else []) for name in form.fields]
    return render(request, "registry/_field_errors.html", {"fields": fields})


# --- authors --------------------------------------------------------------------------------------------------


@dataclass
class AuthorRow:
    person: Person
    coefficient: str = ""
    hours: str = ""
    period_start: str = ""
    period_end: str = ""
    contribution: str = ""
    basis: str = InvolvementBasis.JOB_DUTIES
    basis_other: str = ""


def _rows_of(rid: Rid) -> list[AuthorRow]:
    return [
        AuthorRow(
            person=a.person,
            coefficient=f"{a.coefficient.normalize():f}",
            hours="" if a.hours is None else str(a.hours),
            period_start=a.period_start.isoformat() if a.period_start else "",
            period_end=a.period_end.isoformat() if a.period_end else "",
            contribution=a.contribution,
            basis=a.basis,
            basis_other=a.basis_other,
        )
        for a in rid.authorships.select_related("person__organization")
    ]


def _posted_rows(request: HttpRequest, rid: Rid) -> list[AuthorRow]:
    post = request.POST
    columns = ["coefficient", "hours", "period_start", "period_end", "contribution", "basis", "basis_other"]
    ids = post.getlist("person")
    values = {c: post.getlist(c) for c in columns}
    people = people_of_rid(rid).select_related("organization").in_bulk([int(i) for i in ids if i.isdigit()])
    rows = []
    for index, person_id in enumerate(ids):
        person = people.get(int(person_id)) if person_id.isdigit() else None
        if person is None:
            continue
        cells = {c: (values[c][index] if index < len(values[c]) else "").strip() for c in columns}
        rows.append(AuthorRow(person=person, **cells))
    return rows


def _author_inputs(rows: list[AuthorRow]) -> list[services.AuthorInput]:
    """Parse the table; a value that is not a number or a date is named in the message."""
    inputs = []
    for row in rows:
        who = row.person.short_name
        try:
            coefficient = Decimal(row.coefficient.replace(",", ".").replace("%", "").strip() or "0")
        except InvalidOperation:
            raise DomainError(
                (
                    _("%(who)s: коэффициент участия «%(coefficient)s» — не число.")
                    % {"who": who, "coefficient": row.coefficient}
                ),
                code="invalid",
            ) from None
        if row.hours and not row.hours.isdigit():
            raise DomainError(
                (_("%(who)s: трудозатраты «%(hours)s» — не целое число часов.") % {"who": who, "hours": row.hours}),
                code="invalid",
            )
        dates: list[date | None] = []
        for value in (row.period_start, row.period_end):
            parsed = parse_date(value) if value else None
            if value and parsed is None:
                raise DomainError(
                    (_("%(who)s: дата «%(value)s» — не дата.") % {"who": who, "value": value}), code="invalid"
                )
            dates.append(parsed)
        inputs.append(
            services.AuthorInput(
                person=row.person,
                coefficient=coefficient,
                hours=int(row.hours) if row.hours else None,
                period_start=dates[0],
                period_end=dates[1],
                contribution=row.contribution,
                basis=row.basis,
                basis_other=row.basis_other,
            )
        )
    return inputs


def _authors_context(request: HttpRequest, rid: Rid, rows: list[AuthorRow], **extra: Any) -> dict[str, Any]:
    context = {
        "rid": rid,
        "rows": rows,
        "total": _total(rows),
        "basis_choices": InvolvementBasis.choices,
        "person_form": PersonForm(organizations=_person_organizations(rid)),
        "contributor_form": ContributorForm(people=people_of_rid(rid)),
        "contributions": rid.contributions.select_related("person__organization"),
        "authors_error": None,
    }
    context.update(extra)
    return context


def _total(rows: list[AuthorRow]) -> str:
    total = Decimal(0)
    for row in rows:
        try:
            total += Decimal(row.coefficient.replace(",", ".") or "0")
        except InvalidOperation:
            continue
    return f"{total.normalize():f}"


@login_required
def rid_authors(request: HttpRequest, pk: int) -> HttpResponse:
    rid = _editable_rid(request, pk)
    if request.method != "POST":
        return render(request, "registry/authors.html", _authors_context(request, rid, _rows_of(rid)))
    rows = _posted_rows(request, rid)
    try:
        services.rid_set_authors(actor=request.user, rid=rid, authors=_author_inputs(rows))
    except PermissionDeniedError:
        raise
    except DomainError as exc:
        return render(request, "registry/authors.html", _authors_context(request, rid, rows, authors_error=exc.message))
    messages.success(request, _("Авторы сохранены."))
    return redirect("registry:tab", pk=rid.pk, tab="authors")


@login_required
@require_GET
def author_row(request: HttpRequest, pk: int) -> HttpResponse:
    """One new row of the authors table (htmx), for a person picked or just created."""
    rid = _editable_rid(request, pk)
    person_id = request.GET.get("person", "")
    person = get_object_or_404(
        people_of_rid(rid).select_related("organization"), pk=int(person_id) if person_id.isdigit() else 0
    )
    remaining = request.GET.get("remaining", "")
    row = AuthorRow(person=person, coefficient=remaining if remaining not in ("", "0") else "")
    return render(
        request, "registry/_author_row.html", {"row": row, "rid": rid, "basis_choices": InvolvementBasis.choices}
    )


@login_required
@require_GET
def person_search(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.NOTICE_DRAFT)
    query = request.GET.get("q", "").strip()
    visible = people_visible_to(request.user).select_related("organization")
    people = PersonFilter({"q": query}, queryset=visible).qs[:20] if query else []
    access = personal_data_access(request.user)
    results = [(p, mask_snils(p.snils) if access.may_see(p, "snils") else None) for p in people]
    return render(request, "registry/_person_results.html", {"results": results, "query": query})


@login_required
@require_POST
def person_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Create a person from the picker (htmx). On success the page adds them as an author (``personCreated``)."""
    rid = _editable_rid(request, pk)
    organizations = _person_organizations(rid)
    form = PersonForm(request.POST, organizations=organizations)
    duplicate = None
    if form.is_valid():
        try:
            # no division of ours: an outsider, kept by the RID's organization as an external person
            person = services.person_save(actor=request.user, outsider_of=rid.organization, **form.cleaned_data)
        except PermissionDeniedError:
            raise
        except DomainError as exc:
            apply_domain_error(form, exc)
            if exc.code == "duplicate_person":
                duplicate = people_of_rid(rid).filter(pk=int(exc.details.get("person_id") or 0)).first()
        else:
            response = render(
                request,
                "registry/_person_form.html",
                {
                    "rid": rid,
                    "person_form": PersonForm(organizations=organizations),
                    "created": person,
                    "created_verb": agree(person, _("добавлен"), _("добавлена")),
                },
            )
            response["HX-Trigger"] = json.dumps({"personCreated": {"id": person.pk}})
            return response
    return render(request, "registry/_person_form.html", {"rid": rid, "person_form": form, "duplicate": duplicate})


@login_required
@require_POST
def contributor_add(request: HttpRequest, pk: int) -> HttpResponse:
    rid = _editable_rid(request, pk)
    form = ContributorForm(request.POST, people=people_of_rid(rid))
    if form.is_valid():
        person, assistance = form.cleaned_data["person"], form.cleaned_data["assistance"]
        try:
            services.rid_add_contributor(actor=request.user, rid=rid, person=person, assistance=assistance)
        except PermissionDeniedError:
            raise
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            role = agree(person, _("добавлен как содействующий"), _("добавлена как содействующая"))
            messages.success(request, f"{person.short_name} {role}.")
            return redirect("registry:authors", pk=rid.pk)
    return render(
        request, "registry/authors.html", _authors_context(request, rid, _rows_of(rid), contributor_form=form)
    )


# --- people -----------------------------------------------------------------------------------------------------


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, Action.RID_VIEW)
    person = get_object_or_404(people_visible_to(request.user).select_related("organization"), pk=pk)
    visible = rids_visible_to(request.user).select_related("organization")
    allowed = personal_data_access(request.user).fields(person)
    context = {
        "person": person,
        "personal": [(FIELD_LABELS[f], _shown(getattr(person, f.value))) for f in PersonalField if f in allowed],
        "death_form": DeathDateForm(initial={"death_date": person.death_date})
        if _may_record_death(request.user, person)
        else None,
        "authored": visible.filter(authorships__person=person).distinct(),
        "assisted": visible.filter(contributions__person=person).distinct(),
    }
    return render(request, "registry/person.html", context)


class DeathDateForm(forms.Form):
    death_date = forms.DateField(
        label=gettext_lazy("Дата смерти"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy("срок прав на программу и базу данных считается от смерти последнего из авторов"),
    )


def _may_record_death(user: Any, person: Person) -> bool:
    """The IP department of the person's organization, who may see the date (personal data by need to know)."""
    return can(user, Action.NOTICE_REVIEW, person.organization) and (
        PersonalField.DEATH_DATE in personal_data_access(user).fields(person)
    )


@login_required
@require_POST
def person_death_date(request: HttpRequest, pk: int) -> HttpResponse:
    """Record (or clear) a person's date of death: the term of a program's or a database's rights follows it."""
    person = get_object_or_404(people_visible_to(request.user).select_related("organization"), pk=pk)
    if not _may_record_death(request.user, person):
        require(request.user, Action.NOTICE_REVIEW, person.organization)  # the refusal with its reason
        raise PermissionDeniedError(_("Дату смерти вносит подразделение по ИС."))
    form = DeathDateForm(request.POST)
    if form.is_valid():
        try:
            services.person_save(actor=request.user, person=person, death_date=form.cleaned_data["death_date"])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Дата смерти записана."))
    else:
        messages.error(request, "; ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("registry:person", pk=person.pk)


# --- import -------------------------------------------------------------------------------------------------------


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Файл (XLSX или CSV)"))
    organization = forms.ModelChoiceField(label=gettext_lazy("Организация"), queryset=Organization.objects.none())
    skip_bad_rows = forms.BooleanField(label=gettext_lazy("пропустить ошибочные строки"), required=False)

    def __init__(self, *args: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organizations
        if len(organizations) == 1:
            field.initial = organizations[0].pk


@login_required
def rid_import(request: HttpRequest) -> HttpResponse:
    """Check (dry run) or import a registry spreadsheet; the file is read from the request and never kept."""
    from ridbook.registry.io import registry_import
    from ridbook.registry.io.report import FORMAT_LABELS

    ids = organization_ids_for(request.user, Action.NOTICE_REVIEW)
    if ids is not None and not ids:
        require(request.user, Action.NOTICE_REVIEW)  # 403 with the reason
    organizations = Organization.objects.order_by("short_name")
    if ids is not None:
        organizations = organizations.filter(pk__in=ids)
    if request.method != "POST":
        form = ImportForm(organizations=organizations)
        return render(request, "registry/import.html", {"form": form, "report": None})
    form = ImportForm(request.POST, request.FILES, organizations=organizations)
    report = None
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = registry_import(
                upload,
                actor=request.user,
                organization=form.cleaned_data["organization"],
                dry_run=request.POST.get("action") != "import",
                skip_bad_rows=form.cleaned_data["skip_bad_rows"],
                filename=upload.name,
            )
        except UploadRefused as exc:  # too big, a «zip-бомба», too many rows: said next to the file
            apply_domain_error(form, exc)
    context = {
        "form": form,
        "report": report,
        "written": report.rids if report and report.written else 0,
        "format_label": FORMAT_LABELS.get(report.format, "") if report else "",
        "report_text": report.text(max_warnings=len(report.warnings)) if report else "",
    }
    return render(request, "registry/import.html", context)
