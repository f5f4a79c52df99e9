"""The docket's open tasks among the deadlines: to the task's owner («мои»), and to the IP officers of the
organization who oversee its deadlines («все в моих организациях»). A task whose owner is gone is the IP
department's (a deadline of the role)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ridbook.accounts.permissions import Action
from ridbook.deadlines.registry import Deadline, Owner, Row, Scope, Stored, organization_ids_in_scope
from ridbook.prosecution.choices import TaskState
from ridbook.prosecution.models import DocketTask


def task_rule(task: DocketTask) -> str:
    """The rule and its source, with the mark of a rule not checked against the official text."""
    source = task.rule_source or task.rule_code
    if not task.verified:
        return _("%(source)s — не сверено с официальным текстом") % {"source": source}
    return source


def open_tasks_in_scope(user: Any, scope: str = Scope.MINE) -> Any:
    """Open tasks the user owns; ownerless ones of the organizations where he files; in ``Scope.ORGANIZATION`` every
    open task of the organizations whose deadlines he oversees. Overdue first (by due date)."""
    qs = DocketTask.objects.filter(state=TaskState.OPEN).select_related(
        "application__rid", "application__organization", "owner"
    )
    role_orgs = organization_ids_in_scope(user, Scope.MINE, Action.FILING_MANAGE)
    ownerless = (
        Q(owner__isnull=True)
        if role_orgs is None
        else Q(owner__isnull=True, application__organization_id__in=role_orgs)
    )
    condition = Q(owner_id=user.pk) | ownerless
    if Scope(scope) == Scope.ORGANIZATION:
        overseen = organization_ids_in_scope(user, scope, Action.FILING_MANAGE)
        condition |= Q() if overseen is None else Q(application__organization_id__in=overseen)
        if overseen is None:
            return qs.order_by("due", "id")
    return qs.filter(condition).order_by("due", "id")


def _task_deadline(task: DocketTask) -> Deadline:
    application = task.application
    title = _("%(task)s — %(application)s по РИД %(rid)s") % {
        "task": task.title,
        "application": application,
        "rid": application.rid.number,
    }
    return Deadline(
        title=title,
        due=task.due,
        rule=task_rule(task),
        source="prosecution.docket",
        url=reverse("prosecution:application", args=[application.pk]),
        organization=str(application.organization),
        extra={"task": task.pk},
        key=f"prosecution.docket:task:{task.pk}",
        kind=_("задача делопроизводства по заявке"),
        owner=Owner.of(task.owner),
        organization_id=application.organization_id,
        rid_id=application.rid_id,
        rid_number=application.rid.number,
    )


def docket_deadlines(user: Any, today: date, scope: str = Scope.MINE) -> Iterator[Deadline]:
    if not getattr(user, "is_authenticated", False):
        return
    for task in open_tasks_in_scope(user, scope).iterator(chunk_size=500):
        yield _task_deadline(task)


def _stored_tasks(today: date, applications: list[int] | None) -> Any:
    qs = DocketTask.objects.filter(state=TaskState.OPEN).select_related(
        "application__rid", "application__organization", "owner"
    )
    qs = qs if applications is None else qs.filter(application_id__in=applications)
    return qs.order_by("pk").iterator(chunk_size=1000)


STORED_DOCKET = Stored(
    label=gettext_lazy("задача делопроизводства по заявке"),
    objects=_stored_tasks,
    build=lambda task, today: [Row(task.application_id, task.pk, _task_deadline(task))],
    actions=(Action.FILING_MANAGE,),
    scoped=True,
)


def docket_deadlines_refresh(application_ids: Any) -> None:
    """The stored deadlines of these applications' open tasks, re-computed in the caller's transaction: every write to
    the docket ends with it (:mod:`ridbook.prosecution.services`)."""
    from ridbook.deadlines.store import refresh_objects

    refresh_objects("prosecution.docket", application_ids)
