"""The docket's open tasks in «Мои задачи и сроки»: to the task's owner and to the IP officers of the organization."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from ridbook.deadlines.registry import Deadline
from ridbook.prosecution.models import DocketTask
from ridbook.prosecution.selectors import open_tasks_for


def task_rule(task: DocketTask) -> str:
    """The rule and its source, with the mark of a rule not checked against the official text."""
    source = task.rule_source or task.rule_code
    if not task.verified:
        return _("%(source)s — не сверено с официальным текстом") % {"source": source}
    return source


def docket_deadlines(user: Any, today: date) -> Iterator[Deadline]:
    for task in open_tasks_for(user).iterator(chunk_size=500):
        application = task.application
        title = _("%(task)s — %(application)s по РИД %(rid)s") % {
            "task": task.title,
            "application": application,
            "rid": application.rid.number,
        }
        yield Deadline(
            title=title,
            due=task.due,
            rule=task_rule(task),
            source="prosecution.docket",
            url=reverse("prosecution:application", args=[application.pk]),
            organization=str(application.organization),
            extra={"task": task.pk, "owner": task.owner_id},
        )
