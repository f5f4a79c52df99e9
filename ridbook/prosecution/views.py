"""Pages of the prosecution app: a RID's applications, an application with its events, correspondence and docket."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ridbook.accounts.permissions import Action, users_who_may
from ridbook.core.errors import DomainError, PermissionDeniedError
from ridbook.core.files import attachment
from ridbook.core.forms import apply_domain_error
from ridbook.prosecution import services
from ridbook.prosecution.choices import REQUEST_KINDS, LetterDirection, Stage, TaskState
from ridbook.prosecution.deadlines import task_rule
from ridbook.prosecution.forms import (
    AnswerForm,
    ApplicationForm,
    CloseForm,
    EditForm,
    EventForm,
    ExtendForm,
    LetterForm,
    PriorityForm,
    ReassignForm,
)
from ridbook.prosecution.models import Application
from ridbook.prosecution.selectors import applications_visible_to, may_manage, may_read_files
from ridbook.registry.models import Rid
from ridbook.registry.selectors import rids_visible_to


def _visible_rid(request: HttpRequest, pk: int) -> Rid:
    return get_object_or_404(rids_visible_to(request.user).select_related("organization"), pk=pk)


def _visible_application(request: HttpRequest, pk: int) -> Application:
    return get_object_or_404(applications_visible_to(request.user), pk=pk)


def _rid_context(request: HttpRequest, rid: Rid, form: ApplicationForm | None = None) -> dict[str, Any]:
    manage = may_manage(request.user, rid) and services.may_file(rid)
    if manage and form is None:
        form = ApplicationForm(
            organization=rid.organization,
            initial={"kind": rid.protection_form, "responsible": request.user.pk, "office": "RU"},
        )
    return {
        "rid": rid,
        "applications": rid.applications.select_related("signatory", "responsible").order_by("created_at", "id"),
        "manage": manage,
        "form": form if manage else None,
    }


@login_required
@require_GET
def rid_applications(request: HttpRequest, rid: int) -> HttpResponse:
    found = _visible_rid(request, rid)
    return render(request, "prosecution/rid.html", _rid_context(request, found))


@login_required
@require_POST
def application_new(request: HttpRequest, rid: int) -> HttpResponse:
    found = _visible_rid(request, rid)
    form = ApplicationForm(request.POST, organization=found.organization)
    if form.is_valid():
        data = form.cleaned_data
        try:
            application = services.application_create(
                actor=request.user,
                rid=found,
                office=data["office"],
                country=data["country"],
                kind=data["kind"],
                number=data["number"],
                filed_on=data["filed_on"],
                signatory=data["signatory"],
                responsible=data["responsible"],
                attorney_name=data["attorney_name"],
                attorney_number=data["attorney_number"],
            )
        except PermissionDeniedError:
            raise
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Заявка создана."))
            return redirect("prosecution:application", application.pk)
    return render(request, "prosecution/rid.html", _rid_context(request, found, form), status=400)


def _open_tasks(application: Application) -> Any:
    return application.tasks.filter(state=TaskState.OPEN).order_by("due", "id")


def _application_context(request: HttpRequest, application: Application, **forms: Any) -> dict[str, Any]:
    manage = may_manage(request.user, application)
    org = application.organization
    letters = list(application.letters.select_related("answers").order_by("date", "id"))
    answered = {letter.answers_id: letter for letter in letters if letter.answers_id}
    incoming = [(letter, answered.get(letter.pk)) for letter in letters if letter.direction == LetterDirection.INCOMING]
    tasks = list(application.tasks.select_related("owner").order_by("state", "due", "id"))
    codes = services.events_possible(application)
    context: dict[str, Any] = {
        "application": application,
        "rid": application.rid,
        "manage": manage,
        "files": may_read_files(request.user, application),
        "stages": application.stages(),
        "events": application.events.select_related("actor"),
        "priorities": application.priorities.all(),
        "incoming": incoming,
        "tasks": [(task, task_rule(task)) for task in tasks],
        "request_kinds": [str(k) for k in REQUEST_KINDS],
        "open_state": TaskState.OPEN,
        "granted": application.stage in (Stage.GRANTED, Stage.REGISTERED),
        "document": application.rid.protection_documents.filter(
            application_ref=f"prosecution.application:{application.pk}"
        ).first(),
    }
    if manage:
        context.update(
            event_form=forms.get("event_form") or EventForm(codes=codes, tasks=_open_tasks(application)),
            letter_form=forms.get("letter_form") or LetterForm(),
            answer_form=forms.get("answer_form") or AnswerForm(),
            extend_form=forms.get("extend_form") or ExtendForm(),
            priority_form=forms.get("priority_form") or PriorityForm(),
            edit_form=forms.get("edit_form")
            or EditForm(organization=org, initial={k: getattr(application, k) for k in EDITED}),
            officers=users_who_may(Action.FILING_MANAGE, org),
            action_error=forms.get("action_error"),
            may_write_letters=application.stage in services.CORRESPONDENCE_STAGES,
        )
    return context


@login_required
@require_GET
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = _visible_application(request, pk)
    return render(request, "prosecution/application.html", _application_context(request, application))


def _letter(application: Application, letter_id: Any) -> Any:
    found = application.letters.filter(pk=letter_id).first()
    if found is None:
        raise DomainError(_("Письмо не найдено."), code="not_found", status=404)
    return found


ACTIONS = ("event", "letter", "answer", "extend", "priority", "reassign", "close", "edit")
EDITED = ("kind", "number", "country", "signatory", "responsible", "attorney_name", "attorney_number")


def _form_and_call(
    request: HttpRequest, application: Application, action: str
) -> tuple[str, Any, Callable[[], object]]:
    user = request.user
    if action == "event":
        form: Any = EventForm(
            request.POST, request.FILES, codes=services.events_possible(application), tasks=_open_tasks(application)
        )
        name = "event_form"

        def call() -> object:
            d = form.cleaned_data
            task = _open_tasks(application).filter(pk=d["task"]).first() if d["task"] else None
            return services.event_record(
                actor=user,
                application=application,
                code=d["code"],
                on=d["on"],
                note=d["note"],
                file=d["file"],
                task=task,
            )

    elif action == "letter":
        form, name = LetterForm(request.POST, request.FILES), "letter_form"

        def call() -> object:
            d = form.cleaned_data
            return services.letter_receive(
                actor=user,
                application=application,
                kind=d["kind"],
                number=d["number"],
                received_on=d["received_on"],
                term=d["term"],
                note=d["note"],
                file=d["file"],
            )

    elif action == "answer":
        form, name = AnswerForm(request.POST, request.FILES), "answer_form"

        def call() -> object:
            d = form.cleaned_data
            return services.answer_send(
                actor=user,
                letter=_letter(application, d["letter"]),
                sent_on=d["sent_on"],
                number=d["number"],
                note=d["note"],
                file=d["file"],
            )

    elif action == "extend":
        form, name = ExtendForm(request.POST), "extend_form"

        def call() -> object:
            d = form.cleaned_data
            return services.letter_extend(
                actor=user, letter=_letter(application, d["letter"]), until=d["until"], requested_on=d["requested_on"]
            )

    elif action == "priority":
        form, name = PriorityForm(request.POST), "priority_form"

        def call() -> object:
            d = form.cleaned_data
            claim = services.PriorityInput(kind=d["kind"], date=d["date"], number=d["number"], country=d["country"])
            return services.priority_add(actor=user, application=application, claim=claim)

    elif action == "edit":
        form, name = EditForm(request.POST, organization=application.organization), "edit_form"

        def call() -> object:
            changes = {k: form.cleaned_data[k] for k in EDITED if form.cleaned_data[k] != getattr(application, k)}
            if application.office != "foreign":
                changes.pop("country", None)
            return services.application_update(actor=user, application=application, **changes)

    elif action == "close":
        form, name = CloseForm(request.POST), "close_form"

        def call() -> object:
            task = application.tasks.filter(pk=form.cleaned_data["task"]).first()
            if task is None:
                raise DomainError(_("Задача не найдена."), code="not_found", status=404)
            return services.task_close(actor=user, task=task)

    else:  # reassign
        form, name = ReassignForm(request.POST, organization=application.organization), "reassign_form"

        def call() -> object:
            d = form.cleaned_data
            task = application.tasks.filter(pk=d["task"]).first()
            if task is None:
                raise DomainError(_("Задача не найдена."), code="not_found", status=404)
            return services.task_reassign(actor=user, task=task, owner=d["owner"])

    return name, form, call


SUCCESS = {
    "event": _("Событие записано."),
    "letter": _("Письмо ведомства записано."),
    "answer": _("Ответ записан."),
    "extend": _("Срок ответа продлён."),
    "priority": _("Приоритет добавлен."),
    "reassign": _("Задача передана."),
    "close": _("Задача отмечена выполненной."),
    "edit": _("Сведения заявки сохранены."),
}


@login_required
@require_POST
def application_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    application = _visible_application(request, pk)
    if action not in ACTIONS:
        raise Http404(_("Страница не найдена."))
    name, form, call = _form_and_call(request, application, action)
    if form.is_valid():
        try:
            call()
        except PermissionDeniedError:
            raise
        except DomainError as exc:
            if exc.status == 404 or name in ("reassign_form", "close_form"):
                overrides: dict[str, Any] = {"action_error": exc.message}
            else:
                apply_domain_error(form, exc)
                overrides = {name: form}
            application.refresh_from_db()
            context = _application_context(request, application, **overrides)
            return render(request, "prosecution/application.html", context, status=400)
        messages.success(request, str(SUCCESS[action]))
        return redirect(reverse("prosecution:application", args=[application.pk]))
    context = _application_context(request, application, **{name: form})
    return render(request, "prosecution/application.html", context, status=400)


@login_required
@require_GET
def application_file(request: HttpRequest, pk: int, what: str, obj: int) -> HttpResponseBase:
    application = _visible_application(request, pk)
    if not may_read_files(request.user, application):
        raise Http404(_("Файл не найден."))
    if what == "event":
        record: Any = get_object_or_404(application.events.all(), pk=obj)
    elif what == "letter":
        record = get_object_or_404(application.letters.all(), pk=obj)
    else:
        raise Http404(_("Файл не найден."))
    if not record.file:
        raise Http404(_("Файл не найден."))
    return attachment(record.file)
