"""Writes of the prosecution app: applications, their events, the office's letters and our answers, the docket.

Every service asks the permission module (only the IP department records filings and answers: Action.FILING_MANAGE,
SPEC §5), validates, and writes in one transaction; a refusal is a :class:`DomainError` with a Russian message and
nothing is written. Every event or letter re-computes the application's docket (:func:`sync_docket`) in the same
transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ridbook.accounts.permissions import Action, is_colleague, require, users_who_may
from ridbook.audit.context import acting_as
from ridbook.core.errors import DomainError, invalid
from ridbook.core.uploads import check_upload, document_limits
from ridbook.organizations.selectors import organization_policy
from ridbook.prosecution import engine
from ridbook.prosecution.choices import (
    CORRESPONDENCE_STAGES,
    EXTENSION_REQUESTED,
    FILED,
    FORMAL_EXAM_REQUEST,
    INCOMING_KINDS,
    OFFICE_REQUEST_ANSWERED,
    PRIORITY_CLAIMED,
    REQUEST_KINDS,
    THROUGH_LETTERS,
    TRANSITIONS,
    ApplicationKind,
    LetterDirection,
    LetterKind,
    Office,
    PriorityKind,
    Stage,
    TaskState,
)
from ridbook.prosecution.deadlines import docket_deadlines_refresh
from ridbook.prosecution.models import Application, ApplicationEvent, DocketTask, OfficeLetter, PriorityClaim
from ridbook.registry.choices import RidStatus
from ridbook.registry.models import Rid


def _check_file(file: UploadedFile | None) -> None:
    if file is None:
        return
    if not file.size:
        raise invalid({"file": _("Файл пуст.")})
    check_upload(file, document_limits())


def _require_signatory(user: Any, organization: Any, field: str = "signatory") -> None:
    if user is None or not is_colleague(user, organization):
        raise DomainError(
            _("Пользователь не найден среди работников этой организации."),
            code="not_found",
            status=404,
            details={"fields": {field: _("не найден")}},
        )


def _require_officer(user: Any, organization: Any, field: str) -> None:
    if user is None or not users_who_may(Action.FILING_MANAGE, organization).filter(pk=user.pk).exists():
        raise DomainError(
            _("Исполнителем может быть только специалист по ИС этой организации."),
            code="not_found",
            status=404,
            details={"fields": {field: _("не найден")}},
        )


def may_file(rid: Rid) -> bool:
    """A RID the commission decided to file or register (status FILING), or one already filed."""
    return rid.status == RidStatus.FILING or rid.applications.exists()


def _country(office: str, country: str) -> str:
    if office == Office.RU:
        return "RU"
    if office in (Office.EAPO, Office.PCT):
        return ""
    country = (country or "").strip().upper()
    if len(country) != 2 or not country.isalpha():
        raise invalid({"country": _("Укажите двухбуквенный код страны иностранного ведомства (например, DE).")})
    return country


@dataclass(frozen=True)
class PriorityInput:
    kind: str
    date: date
    number: str = ""
    country: str = ""


def application_create(
    *,
    actor: Any,
    rid: Rid,
    office: str,
    signatory: Any,
    kind: str = "",
    country: str = "",
    number: str = "",
    filed_on: date | None = None,
    attorney_name: str = "",
    attorney_number: str = "",
    responsible: Any = None,
    priorities: Sequence[PriorityInput] = (),
) -> Application:
    """A new application for ``rid`` (stage «заявка готовится»); with ``filed_on`` the filing is recorded at once."""
    require(actor, Action.FILING_MANAGE, rid.organization)
    if office not in Office.values:
        raise invalid({"office": _("Неизвестное ведомство: %(value)s.") % {"value": office}})
    kind = kind or rid.protection_form
    if kind not in ApplicationKind.values:
        raise invalid({"kind": _("Выберите вид охраны: патент или государственная регистрация.")})
    if not may_file(rid):
        raise DomainError(
            _("Заявку можно подать только по РИД, по которому комиссия решила подать заявку (зарегистрировать)."),
            code="wrong_state",
        )
    _require_signatory(signatory, rid.organization)
    responsible = responsible or actor
    _require_officer(responsible, rid.organization, "responsible")
    with transaction.atomic(), acting_as(actor):
        rid = Rid.objects.select_for_update().get(pk=rid.pk)
        application = Application.objects.create(
            rid=rid,
            organization=rid.organization,
            office=office,
            country=_country(office, country),
            kind=kind,
            number=number.strip(),
            signatory=signatory,
            responsible=responsible,
            attorney_name=attorney_name.strip(),
            attorney_number=attorney_number.strip(),
        )
        for claim in priorities:
            _priority_add(application, claim, actor)
        if filed_on is not None:
            _record(actor, application, FILED, filed_on)
        else:
            sync_docket(application)
        return application


def application_update(*, actor: Any, application: Application, **fields: Any) -> Application:
    """Edit the data of an application (not its stage: that moves by events only)."""
    require(actor, Action.FILING_MANAGE, application.organization)
    allowed = {"kind", "number", "signatory", "responsible", "attorney_name", "attorney_number", "country"}
    unknown = set(fields) - allowed
    if unknown:
        raise invalid({name: _("Это поле нельзя изменить.") for name in sorted(unknown)})
    if "kind" in fields and fields["kind"] not in ApplicationKind.values:
        raise invalid({"kind": _("Выберите вид охраны: патент или государственная регистрация.")})
    if "kind" in fields and fields["kind"] != application.kind and application.stage != Stage.PREPARED:
        raise invalid({"kind": _("Вид охраны меняется только до подачи заявки.")})
    if "signatory" in fields:
        _require_signatory(fields["signatory"], application.organization)
    if "responsible" in fields:
        _require_officer(fields["responsible"], application.organization, "responsible")
    if "country" in fields:
        fields["country"] = _country(application.office, fields["country"])
    with transaction.atomic(), acting_as(actor):
        application = Application.objects.select_for_update().get(pk=application.pk)
        for name, value in fields.items():
            setattr(application, name, value.strip() if isinstance(value, str) else value)
        application.save()
        sync_docket(application)
        return application


def _priority_add(application: Application, claim: PriorityInput, actor: Any) -> PriorityClaim:
    """The claim, and the event «заявлен приоритет» on the priority date (a docket rule may count from it)."""
    if claim.kind not in PriorityKind.values:
        raise invalid({"kind": _("Неизвестный вид приоритета: %(value)s.") % {"value": claim.kind}})
    if application.filing_date and claim.date > application.filing_date:
        raise invalid({"date": _("Дата приоритета не может быть позже даты подачи заявки.")})
    country = (claim.country or "").strip().upper()
    if country and (len(country) != 2 or not country.isalpha()):
        raise invalid({"country": _("Код страны — две латинские буквы (например, DE).")})
    made = PriorityClaim.objects.create(
        application=application, kind=claim.kind, number=claim.number.strip(), date=claim.date, country=country
    )
    _record(actor, application, PRIORITY_CLAIMED, claim.date, note=str(made))
    return made


def priority_add(*, actor: Any, application: Application, claim: PriorityInput) -> PriorityClaim:
    require(actor, Action.FILING_MANAGE, application.organization)
    with transaction.atomic(), acting_as(actor):
        application = Application.objects.select_for_update().get(pk=application.pk)
        return _priority_add(application, claim, actor)


# --- events: the only way a stage changes -------------------------------------------------------------------------


def check_transition(application: Application, code: str) -> Stage:
    """The stage ``code`` moves ``application`` to, or a DomainError naming why it is impossible."""
    table = TRANSITIONS[application.procedure]
    transition = table.get(code)
    stage = Stage(application.stage)
    if transition is None:
        raise DomainError(
            _("Событие «%(event)s» не бывает у заявки этого вида (%(kind)s).")
            % {"event": engine.event_label(code), "kind": application.get_kind_display()},
            code="wrong_state",
            details={"fields": {"code": _("недопустимое событие")}},
        )
    if stage not in transition.sources:
        allowed = ", ".join(str(Stage(s).label) for s in sorted(transition.sources, key=application.stages().index))
        raise DomainError(
            _("Событие «%(event)s» невозможно на стадии «%(stage)s»; возможно на стадиях: %(allowed)s.")
            % {"event": engine.event_label(code), "stage": stage.label, "allowed": allowed},
            code="wrong_state",
            details={"fields": {"code": _("недопустимо на этой стадии")}},
        )
    return transition.target or stage


def events_possible(application: Application) -> list[str]:
    """Codes of the events that may be recorded now (for the form's choices)."""
    stage = Stage(application.stage)
    return [
        code
        for code, t in TRANSITIONS[application.procedure].items()
        if stage in t.sources and code not in THROUGH_LETTERS
    ]


def _require_filing_packet(application: Application) -> None:
    """The packet's documents for filing (the policy's `[packet.filing]`, with those of the earlier stages) are in
    the RID's packet before the filing is recorded: the notice was accepted with less (issue 12), filing asks for
    the rest."""
    from ridbook.registry.services import missing_packet_documents

    missing = [str(label) for label in missing_packet_documents(application.rid, "filing")]
    if missing:
        raise DomainError(
            _(
                "Подачу нельзя записать: в пакете РИД не хватает документов к подаче заявки: %(missing)s. Загрузите "
                "их на вкладке «Документы» РИД."
            )
            % {"missing": "; ".join(missing)},
            code="packet_incomplete",
            details={"missing": missing},
        )


def _record(
    actor: Any,
    application: Application,
    code: str,
    on: date,
    note: str = "",
    file: UploadedFile | None = None,
    ref: str = "",
) -> ApplicationEvent:
    before = Stage(application.stage)
    after = check_transition(application, code)
    if code == FILED:
        _require_filing_packet(application)
    if application.filing_date and on < application.filing_date and code != PRIORITY_CLAIMED:
        raise invalid({"on": _("Дата события не может быть раньше даты подачи заявки.")})
    event = ApplicationEvent.objects.create(
        application=application,
        code=code,
        on=on,
        ref=ref,
        note=note.strip(),
        file=file or "",
        stage_before=before,
        stage_after=after,
        actor=actor if getattr(actor, "pk", None) else None,
    )
    changed = []
    if after != before:
        application.stage = after
        changed.append("stage")
    if code == FILED and application.filing_date is None:
        application.filing_date = on
        changed.append("filing_date")
    if changed:
        application.save(update_fields=changed)
    sync_docket(application)
    return event


def event_record(
    *,
    actor: Any,
    application: Application,
    code: str,
    on: date,
    note: str = "",
    file: UploadedFile | None = None,
    task: DocketTask | None = None,
) -> ApplicationEvent:
    """Record an event of the application; it moves the stage by the transition table or is refused. ``task``: the
    open task the event concerns (a payment names the fee it pays): the fact names the task's key, so it closes that
    task only."""
    require(actor, Action.FILING_MANAGE, application.organization)
    if code in THROUGH_LETTERS:
        raise invalid({"code": _("Запросы ведомства, ответы и продления записываются в разделе «Переписка».")})
    if on > timezone.localdate():
        raise invalid({"on": _("Дата события не может быть в будущем.")})
    _check_file(file)
    with transaction.atomic(), acting_as(actor):
        application = Application.objects.select_for_update().get(pk=application.pk)
        ref = ""
        if task is not None:
            open_task = application.tasks.filter(pk=task.pk, state=TaskState.OPEN).first()
            if open_task is None:
                raise invalid({"task": _("Выберите открытую задачу этой заявки.")})
            ref = open_task.key
        return _record(actor, application, code, on, note, file, ref=ref)


# --- the correspondence -------------------------------------------------------------------------------------------


def _require_correspondence(application: Application) -> None:
    if application.stage not in CORRESPONDENCE_STAGES:
        raise DomainError(
            _("Переписка по заявке на стадии «%(stage)s» не ведётся.") % {"stage": application.get_stage_display()},
            code="wrong_state",
        )


def letter_receive(
    *,
    actor: Any,
    application: Application,
    kind: str,
    received_on: date,
    number: str = "",
    term: date | None = None,
    note: str = "",
    file: UploadedFile | None = None,
) -> OfficeLetter:
    """An incoming letter of the office. A request with a response term is a docket task until it is answered."""
    require(actor, Action.FILING_MANAGE, application.organization)
    if kind not in INCOMING_KINDS:
        raise invalid({"kind": _("Входящее письмо — запрос, уведомление или решение.")})
    if received_on > timezone.localdate():
        raise invalid({"received_on": _("Дата получения не может быть в будущем.")})
    if term is not None and term < received_on:
        raise invalid({"term": _("Срок ответа не может быть раньше даты получения письма.")})
    if kind not in REQUEST_KINDS and term is not None:
        raise invalid({"term": _("Срок ответа указывается только у запроса.")})
    _check_file(file)
    with transaction.atomic(), acting_as(actor):
        application = Application.objects.select_for_update().get(pk=application.pk)
        _require_correspondence(application)
        letter = OfficeLetter.objects.create(
            application=application,
            direction=LetterDirection.INCOMING,
            kind=kind,
            number=number.strip(),
            date=received_on,
            term=term,
            note=note.strip(),
            file=file or "",
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        if kind == LetterKind.FORMAL_REQUEST:  # the formal examination has begun: the stage moves by the event
            _record(actor, application, FORMAL_EXAM_REQUEST, received_on, note=str(letter))
        else:
            sync_docket(application)
        return letter


def _incoming_request(letter: OfficeLetter) -> None:
    if letter.direction != LetterDirection.INCOMING or letter.kind not in REQUEST_KINDS:
        raise DomainError(_("Отвечают и продлевают срок только по запросу ведомства."), code="wrong_state")


def letter_extend(*, actor: Any, letter: OfficeLetter, until: date, requested_on: date | None = None) -> OfficeLetter:
    """The term of an office request extended (on our petition): the task's due moves."""
    application = letter.application
    require(actor, Action.FILING_MANAGE, application.organization)
    _incoming_request(letter)
    if letter.term is None:
        raise invalid({"until": _("У запроса нет срока ответа: продлевать нечего.")})
    if until <= (letter.extended_until or letter.term):
        raise invalid({"until": _("Новый срок должен быть позже действующего.")})
    requested_on = requested_on or timezone.localdate()
    with transaction.atomic(), acting_as(actor):
        application = Application.objects.select_for_update().get(pk=application.pk)
        letter = OfficeLetter.objects.get(pk=letter.pk)
        if letter.replies.exists():
            raise DomainError(_("На запрос уже отвечено: срок не продлевается."), code="wrong_state")
        letter.extended_until = until
        letter.extension_requested_on = requested_on
        letter.save(update_fields=["extended_until", "extension_requested_on"])
        sync_docket(application)
        return letter


def answer_send(
    *,
    actor: Any,
    letter: OfficeLetter,
    sent_on: date,
    number: str = "",
    note: str = "",
    file: UploadedFile | None = None,
) -> OfficeLetter:
    """Our answer to an office request: its docket task is done."""
    application = letter.application
    require(actor, Action.FILING_MANAGE, application.organization)
    _incoming_request(letter)
    if sent_on > timezone.localdate():
        raise invalid({"sent_on": _("Дата отправки не может быть в будущем.")})
    if sent_on < letter.date:
        raise invalid({"sent_on": _("Ответ не может быть отправлен раньше получения запроса.")})
    _check_file(file)
    with transaction.atomic(), acting_as(actor):
        application = Application.objects.select_for_update().get(pk=application.pk)
        _require_correspondence(application)
        if OfficeLetter.objects.filter(answers=letter).exists():
            raise DomainError(_("На этот запрос ответ уже записан."), code="wrong_state")
        answer = OfficeLetter.objects.create(
            application=application,
            direction=LetterDirection.OUTGOING,
            kind=LetterKind.ANSWER,
            number=number.strip(),
            date=sent_on,
            answers=letter,
            note=note.strip(),
            file=file or "",
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        sync_docket(application)
        return answer


# --- the docket -----------------------------------------------------------------------------------------------------


def facts_of(application: Application) -> list[Any]:
    """The facts the docket engine plans from: the recorded events and the correspondence."""
    # an event of the correspondence (a formal examination's request) is the letter's fact, with its reference
    facts = [engine.fact(e.code, e.on, ref=e.ref) for e in application.events.all() if e.code not in THROUGH_LETTERS]
    for letter in application.letters.all():
        if letter.direction == LetterDirection.INCOMING and letter.kind in REQUEST_KINDS:
            ref = str(letter.pk)
            facts.append(engine.fact(REQUEST_KINDS[LetterKind(letter.kind)], letter.date, ref=ref, due=letter.term))
            if letter.extension_requested_on is not None and letter.extended_until is not None:
                facts.append(
                    engine.fact(EXTENSION_REQUESTED, letter.extension_requested_on, ref=ref, due=letter.extended_until)
                )
        elif letter.answers_id is not None:
            facts.append(engine.fact(OFFICE_REQUEST_ANSWERED, letter.date, ref=str(letter.answers_id)))
    return sorted(facts, key=lambda f: (f.on, f.code, f.ref))


def planned_for(application: Application, *, today: date | None = None) -> tuple[list[Any], list[Any]]:
    policy = organization_policy(application.organization)
    return engine.plan(
        facts_of(application),
        engine.rules_for(policy),
        kind=application.kind,
        office=application.office,
        on=today or timezone.localdate(),
        country=application.country or "RU",
    )


@dataclass
class SyncResult:
    created: int = 0
    moved: int = 0
    done: int = 0
    aborted: int = 0
    reopened: int = 0


def sync_docket(application: Application, *, today: date | None = None) -> SyncResult:
    """Plan the application's docket and store it: new tasks are created, open tasks whose due changed move, open
    tasks no longer planned are aborted, planned tasks whose closing event exists are done. A done task is never
    touched again."""
    result = SyncResult()
    open_planned, done_planned = planned_for(application, today=today)
    with transaction.atomic():
        stored = {t.key: t for t in DocketTask.objects.select_for_update().filter(application=application)}
        now = timezone.now()
        for planned, closed in [(p, False) for p in open_planned] + [(p, True) for p in done_planned]:
            values = {
                "title": str(planned.title)[:500],
                "due": planned.due,
                "rule_code": str(planned.rule.code)[:100],
                "rule_source": str(planned.rule.source or "")[:500],
                "verified": bool(planned.rule.verified),
                "fee": str(getattr(planned.rule, "fee", None) or "")[:100],
            }
            task = stored.pop(planned.key, None)
            if task is None:
                DocketTask.objects.create(
                    application=application,
                    key=planned.key[:200],
                    owner=application.responsible,
                    state=TaskState.DONE if closed else TaskState.OPEN,
                    done_at=now if closed else None,
                    **values,
                )
                result.created += 1
                continue
            if task.state == TaskState.DONE:
                continue  # never touched again
            changed = [name for name, value in values.items() if getattr(task, name) != value]
            if task.due != planned.due:
                result.moved += 1
            for name in changed:
                setattr(task, name, values[name])
            if closed:
                task.state, task.done_at = TaskState.DONE, now
                changed += ["state", "done_at"]
                result.done += 1
            elif task.state == TaskState.ABORTED:
                task.state = TaskState.OPEN
                changed.append("state")
                result.reopened += 1
            if changed:
                task.save(update_fields=changed)
        for task in stored.values():
            if task.state == TaskState.OPEN:
                task.state = TaskState.ABORTED
                task.save(update_fields=["state"])
                result.aborted += 1
        docket_deadlines_refresh([application.pk])
    return result


def task_reassign(*, actor: Any, task: DocketTask, owner: Any) -> DocketTask:
    organization = task.application.organization
    require(actor, Action.FILING_MANAGE, organization)
    _require_officer(owner, organization, "owner")
    if task.state != TaskState.OPEN:
        raise DomainError(_("Передать можно только открытую задачу."), code="wrong_state")
    with transaction.atomic(), acting_as(actor):
        task = DocketTask.objects.select_for_update().get(pk=task.pk)
        task.owner = owner
        task.save(update_fields=["owner"])
        docket_deadlines_refresh([task.application_id])
        return task


def task_close(*, actor: Any, task: DocketTask) -> DocketTask:
    """Mark an open task done by hand (a task no event closes, e.g. the national phase of a PCT application)."""
    require(actor, Action.FILING_MANAGE, task.application.organization)
    with transaction.atomic(), acting_as(actor):
        task = DocketTask.objects.select_for_update().get(pk=task.pk)
        if task.state != TaskState.OPEN:
            raise DomainError(_("Отметить выполненной можно только открытую задачу."), code="wrong_state")
        task.state, task.done_at = TaskState.DONE, timezone.now()
        task.save(update_fields=["state", "done_at"])
        docket_deadlines_refresh([task.application_id])
        return task


def resync_all(*, today: date | None = None) -> SyncResult:
    """Every application's open tasks re-computed (a policy's docket rules changed)."""
    total = SyncResult()
    for application in Application.objects.select_related("organization", "responsible").iterator(chunk_size=200):
        with transaction.atomic():
            one = sync_docket(application, today=today)
        for name in ("created", "moved", "done", "aborted", "reopened"):
            setattr(total, name, getattr(total, name) + getattr(one, name))
    return total


def document_initial(application: Application) -> dict[str, Any]:
    """What the protection document of a granted application starts with: its number and dates, the earliest
    priority, the date of the grant or registration, the kind of protection, and the link back to the application."""
    granted = (
        application.events.filter(code__in=["granted", "registered"])
        .order_by("-on")
        .values_list("on", flat=True)
        .first()
    )
    priority = application.priorities.order_by("date").values_list("date", flat=True).first()
    return {
        "kind": application.kind,
        "application_number": application.number,
        "filing_date": application.filing_date,
        "priority_date": priority or application.filing_date,
        "granted_on": granted,
        "country": application.country or "RU",
        "application_ref": f"prosecution.application:{application.pk}",
    }
