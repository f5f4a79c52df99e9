"""Server-rendered pages. Function views; the same view returns the page or, for htmx, only the fragment."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ridbook.accounts.models import in_force_q
from ridbook.accounts.permissions import Action, can, require, restrict
from ridbook.audit.export import export_response
from ridbook.audit.filters import ChangeRecordFilter
from ridbook.audit.presentation import paged
from ridbook.audit.selectors import change_history, change_records_visible_to
from ridbook.core.errors import DomainError
from ridbook.core.middleware import error_response
from ridbook.deadlines.registry import URGENCY_LABELS, Scope
from ridbook.deadlines.selectors import deadlines_filtered
from ridbook.organizations import services as org_services
from ridbook.organizations.models import Organization
from ridbook.organizations.selectors import organization_policy, organization_tree
from ridbook.policies.loader import available_policies, get_policy
from ridbook.web.forms import OrganizationForm, WorkingDaysForm
from ridbook.workdays.calendar import OutOfCalendar, add_working_days, describe_day


def _fragment_or_page(request: HttpRequest, page: str, fragment: str, context: dict[str, Any]) -> HttpResponse:
    template = fragment if getattr(request, "htmx", False) else page
    return render(request, template, context)


HOME_DEADLINES = 50  # the home page's share of «Мои задачи и сроки»


@login_required
def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    # the user's own deadlines, overdue first: the first ones here, the whole list (paged, filtered) on «Сроки»
    mine = deadlines_filtered(request.user, today, {"scope": Scope.MINE}).items
    items = [(d, d.urgency(today), URGENCY_LABELS[d.urgency(today)]) for d in mine[:HOME_DEADLINES]]
    roles = request.user.role_assignments.filter(in_force_q()).select_related("organization")  # type: ignore[union-attr]
    context = {"deadlines": items, "total": len(mine), "shown": len(items), "today": today, "roles": roles}
    return render(request, "web/home.html", context)


@login_required
def organizations(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.ORGANIZATION_VIEW)
    visible = set(
        restrict(
            Organization.objects.all(), request.user, Action.ORGANIZATION_VIEW, organization_field="self"
        ).values_list("pk", flat=True)
    )
    rows = [(org, depth) for org, depth in organization_tree() if org.pk in visible]
    return render(
        request,
        "web/organizations.html",
        {
            "rows": rows,
            "can_manage": can(request.user, Action.ORGANIZATION_MANAGE),
        },
    )


def _visible_org(request: HttpRequest, pk: int) -> Organization:
    qs = restrict(
        Organization.objects.select_related("parent"),
        request.user,
        Action.ORGANIZATION_VIEW,
        organization_field="self",
    )
    return get_object_or_404(qs, pk=pk)


ORG_TABS = {"summary": _("Сведения"), "roles": _("Роли"), "history": _("История изменений")}


@login_required
def organization_detail(request: HttpRequest, pk: int, tab: str = "summary") -> HttpResponse:
    if tab not in ORG_TABS:
        return error_404(request)
    org = _visible_org(request, pk)
    context: dict[str, Any] = {
        "org": org,
        "tab": tab,
        "tabs": ORG_TABS,
        "can_manage": can(request.user, Action.ORGANIZATION_MANAGE, org),
        "can_audit": can(request.user, Action.AUDIT_VIEW, org),
    }
    if tab == "summary":
        try:
            context["policy"] = organization_policy(org)
        except (ValueError, LookupError) as exc:
            context["policy_error"] = str(exc)
        context["children"] = org.children.all()
    elif tab == "roles":
        in_force = org.role_assignments.filter(in_force_q()).select_related("user")
        context["assignments"] = in_force.order_by("role", "user__last_name")
    elif tab == "history":
        require(request.user, Action.AUDIT_VIEW, org)
        context["page"], context["entries"] = paged(change_history(instance=org), request.GET.get("page"))
        context["pager_url"] = reverse("web:organization_tab", args=[org.pk, "history"])
    return _fragment_or_page(request, "web/organization_detail.html", f"web/org_tab_{tab}.html", context)


def _managed_orgs(user: Any) -> Any:
    return restrict(Organization.objects.all(), user, Action.ORGANIZATION_MANAGE, organization_field="self")


@login_required
def organization_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    org = _visible_org(request, pk) if pk else None
    require(request.user, Action.ORGANIZATION_MANAGE, org)
    form = OrganizationForm(request.POST or None, instance=org, parents=_managed_orgs(request.user))
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items()}
        try:
            if org is None:
                parent = data.pop("parent")
                org = org_services.organization_create(actor=request.user, parent=parent, **data)
            else:
                org = org_services.organization_update(actor=request.user, organization=org, **data)
        except DomainError as exc:
            for field, msgs in exc.details.get("fields", {}).items():
                for msg in msgs:
                    form.add_error(field if field in form.fields else None, msg)
            if not exc.details.get("fields"):
                form.add_error(None, exc.message)
        else:
            messages.success(request, gettext("Организация «%(organization)s» сохранена.") % {"organization": org})
            return redirect("web:organization", pk=org.pk)
    return render(request, "web/organization_form.html", {"form": form, "org": org})


@login_required
def policies(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.POLICY_VIEW)
    return render(request, "web/policies.html", {"policies": available_policies()})


@login_required
def policy_detail(request: HttpRequest, name: str, version: int) -> HttpResponse:
    require(request.user, Action.POLICY_VIEW)
    try:
        policy = get_policy(name, version=version)
    except LookupError as exc:
        return render(request, "errors/404.html", {"message": str(exc)}, status=404)
    return render(request, "web/policy_detail.html", {"policy": policy, "data": policy.as_dict()})


@login_required
def calendar(request: HttpRequest) -> HttpResponse:
    form = WorkingDaysForm(request.GET or None)
    result = None
    if form.is_bound and form.is_valid():
        start, n, country = form.cleaned_data["date"], form.cleaned_data["days"], form.cleaned_data["country"]
        try:
            end = add_working_days(start, n, country)
        except OutOfCalendar as exc:
            form.add_error("date", exc.message)
        else:
            result = {"start": describe_day(start, country), "end": describe_day(end, country), "days": n}
    return _fragment_or_page(request, "web/calendar.html", "web/calendar_result.html", {"form": form, "result": result})


def _audit_filters(request: HttpRequest) -> ChangeRecordFilter:
    require(request.user, Action.AUDIT_VIEW)
    records = change_records_visible_to(request.user)
    return ChangeRecordFilter(request.GET or None, queryset=records, user=request.user)


@login_required
def audit(request: HttpRequest) -> HttpResponse:
    """Журнал изменений: фильтры (вид записи, кто, организация, период, действие), по 50 записей на странице."""
    filters = _audit_filters(request)
    page, entries = paged(filters.qs, request.GET.get("page"))
    return render(request, "web/audit.html", {"filters": filters, "page": page, "entries": entries})


@login_required
def audit_export(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """The log as filtered on the page, in CSV or XLSX (``file_format``), streamed."""
    return export_response(_audit_filters(request).qs, request.GET.get("file_format", "csv"))


# Django's handlers (DEBUG=false): a page, or under /api/ the API's JSON error format (``core.middleware``).


def error_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(request, 400, "bad_request", gettext("Некорректный запрос."))


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = str(exception) if exception and str(exception) else gettext("Недостаточно прав для этого действия.")
    return error_response(request, 403, "permission_denied", message)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return error_response(request, 404, "not_found", gettext("Адрес %(path)s не найден.") % {"path": request.path})
    return error_response(request, 404, "not_found", gettext("Страница не найдена."))


def error_500(request: HttpRequest) -> HttpResponse:
    """The traceback is in the log already (``django.request``); the user gets the time to tell the administrator."""
    from django.template.loader import render_to_string

    now = timezone.localtime()
    message = gettext("Внутренняя ошибка сервера (%(now)s). Она записана в журнал; сообщите администратору время.") % {
        "now": format(now, "%d.%m.%Y %H:%M:%S")
    }
    if request.path.startswith("/api/"):
        return error_response(request, 500, "server_error", message)
    return HttpResponse(render_to_string("errors/500.html", {"message": message}), status=500)
